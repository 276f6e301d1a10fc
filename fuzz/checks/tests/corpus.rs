//! Runs every property over the corpus in `fuzz/corpus/<target>/` and a generated sweep, so
//! the fuzz targets' checks run on stable Rust and in plain `cargo test`.

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(target);
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .collect();
    assert!(!out.is_empty(), "empty corpus {}", dir.display());
    // Every prefix and a few mutations of each seed, like a tiny fuzzer.
    let seeds = out.clone();
    for s in &seeds {
        for i in 0..s.len().min(64) {
            out.push(s[..i].to_vec());
            let mut flipped = s.clone();
            flipped[i] ^= 0x01;
            out.push(flipped);
            let mut dropped = s.clone();
            dropped.remove(i);
            out.push(dropped);
        }
    }
    out
}

/// A deterministic pseudo-random sweep of short inputs over a small alphabet.
fn sweep(alphabet: &[u8], count: usize, max_len: usize) -> Vec<Vec<u8>> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x as usize) % (max_len + 1);
            (0..len)
                .map(|i| {
                    let r = x.rotate_left(i as u32 * 5);
                    alphabet[(r as usize) % alphabet.len()]
                })
                .collect()
        })
        .collect()
}

#[test]
fn id_number_corpus() {
    for input in corpus("id_number")
        .into_iter()
        .chain(sweep(b"0123456789Xx -", 20_000, 22))
    {
        xingcun_fuzz_checks::id_number(&input);
    }
}

#[test]
fn org_code_corpus() {
    for input in corpus("org_code")
        .into_iter()
        .chain(sweep(b"0123456789 a", 20_000, 18))
    {
        xingcun_fuzz_checks::org_code(&input);
    }
}

#[test]
fn phone_corpus() {
    for input in corpus("phone")
        .into_iter()
        .chain(sweep(b"0123456789-+ ()", 20_000, 16))
    {
        xingcun_fuzz_checks::phone(&input);
    }
}

#[test]
fn xlsx_reader_corpus() {
    for input in corpus("xlsx_reader") {
        xingcun_fuzz_checks::xlsx_reader(&input);
    }
}
