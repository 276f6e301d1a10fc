//! `xingcun`: the one binary. Everything happens in the library; see `cli::run`.

#[tokio::main]
async fn main() {
    if let Err(e) = xingcun::cli::run().await {
        eprintln!("错误：{e:#}");
        std::process::exit(1);
    }
}
