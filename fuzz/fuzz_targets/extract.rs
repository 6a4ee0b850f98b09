//! Any text through the extractor; every item's offsets must point at its own text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policylens::Extractor;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let items = Extractor::shared().extract_text("2024-05-06 fuzz.txt", &text);
    let chars: Vec<char> = text.chars().collect();
    for item in &items {
        assert!(item.start <= item.end && item.end <= chars.len(), "{item:?}");
        let spanned: String = chars[item.start..item.end].iter().collect();
        assert_eq!(spanned, item.text, "{item:?}");
    }
});
