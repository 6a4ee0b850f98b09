//! Any bytes a file can hold, through every path the loader takes: the text decoder, the
//! HTML converter on what it decoded, and the .docx reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policylens::corpus::{decode, docx_to_text, html_to_text};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(decoded) = decode(bytes) {
        assert!(!decoded.text.contains('\r'), "a CR survived decoding");
        let _ = html_to_text(&decoded.text);
    }
    let _ = docx_to_text(bytes, 20 << 20);
});
