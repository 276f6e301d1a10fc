//! Statements sent one after another inside a transaction, each dispatched before the next is
//! built: while the database works on one statement, the caller prepares the next one's rows
//! (sealing, name keys, audit JSON, binding). A bulk write thereby keeps both the database and
//! the platform busy instead of letting them take turns.
//!
//! Only one statement is in flight at a time, so the order of writes is the order of
//! [`Pipe::send`]. An error of a statement surfaces at the next `send` or at [`Pipe::finish`].

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;
type InFlight<'t> =
    Pin<Box<dyn Future<Output = (&'t mut Tx, Result<(), sqlx::Error>)> + Send + 't>>;

enum State<'t> {
    Idle(&'t mut Tx),
    Busy(InFlight<'t>),
    /// Only while a state is being replaced.
    Moving,
}

/// A transaction writing one statement while the next is prepared.
pub struct Pipe<'t> {
    state: State<'t>,
}

impl<'t> Pipe<'t> {
    pub fn new(tx: &'t mut Tx) -> Pipe<'t> {
        Pipe {
            state: State::Idle(tx),
        }
    }

    /// Waits for the statement in flight, then dispatches `q` and returns without waiting for
    /// it (unless the database answers at once).
    pub async fn send(&mut self, q: Query<'t, Any, AnyArguments>) -> Result<(), sqlx::Error> {
        let tx = self.wait().await?;
        let mut flight: InFlight<'t> = Box::pin(async move {
            let done = q.execute(&mut **tx).await.map(|_| ());
            (tx, done)
        });
        // One poll hands the statement to the database (SQLite's worker thread, or the
        // PostgreSQL socket); the answer is collected by the next `wait`.
        match std::future::poll_fn(|cx| Poll::Ready(flight.as_mut().poll(cx))).await {
            Poll::Ready((tx, done)) => {
                self.state = State::Idle(tx);
                done
            }
            Poll::Pending => {
                self.state = State::Busy(flight);
                Ok(())
            }
        }
    }

    /// Waits for the statement in flight and ends the pipe (the transaction is free again).
    pub async fn finish(mut self) -> Result<(), sqlx::Error> {
        self.wait().await.map(|_| ())
    }

    async fn wait(&mut self) -> Result<&'t mut Tx, sqlx::Error> {
        let tx = match std::mem::replace(&mut self.state, State::Moving) {
            State::Idle(tx) => tx,
            State::Busy(flight) => {
                let (tx, done) = flight.await;
                if let Err(e) = done {
                    self.state = State::Idle(tx);
                    return Err(e);
                }
                tx
            }
            State::Moving => unreachable!("a pipe's state is always put back"),
        };
        Ok(tx)
    }
}
