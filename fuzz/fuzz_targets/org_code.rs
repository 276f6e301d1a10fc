#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xingcun_fuzz_checks::org_code(data));
