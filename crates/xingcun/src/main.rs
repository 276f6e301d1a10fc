//! `xingcun`: the one binary. Everything happens in the library; see `cli::run`.

/// mimalloc: the import and the demo allocate many small strings; glibc's allocator spent a
/// quarter of their time in malloc/free (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    if let Err(e) = xingcun::cli::run().await {
        eprintln!("错误：{e:#}");
        std::process::exit(1);
    }
}
