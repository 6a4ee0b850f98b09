//! Properties that must hold for any input an analyst's folder can contain: decoding and
//! extraction never panic, every item's offsets point at its own text, ids do not depend
//! on the run, and the JSON output always parses.

use std::sync::OnceLock;

use policylens::corpus::decode;
use policylens::export::{self, Format};
use policylens::pipeline::Extraction;
use policylens::{Document, Extractor, Item};
use proptest::prelude::*;

/// The sample articles, so generated text is made of real sentences, headings and names
/// as well as noise.
fn sample_texts() -> &'static [String] {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
        let mut paths: Vec<_> = std::fs::read_dir(folder)
            .expect("sample_data is readable")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("sample articles are UTF-8"))
            .collect()
    })
}

/// A window of a sample article, cut at arbitrary character positions.
fn article_window() -> impl Strategy<Value = String> {
    (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0usize..400,
    )
        .prop_map(|(article, start, len)| {
            let texts = sample_texts();
            let chars: Vec<char> = texts[article.index(texts.len())].chars().collect();
            let start = start.index(chars.len());
            chars[start..(start + len).min(chars.len())]
                .iter()
                .collect()
        })
}

/// Pieces that trigger the extractor's rules, mixed with arbitrary characters.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => article_window(),
        2 => prop::sample::select(vec![
            "县", "区", "市", "开发区", "高新区", "经开区", "书记", "县长", "区委书记", "项目",
            "二期", "投资", "亿元", "万元", "美元", "元", "年", "月", "日", "号", "今年",
            "2024", "２０２４", "一", "十二", "百", "千", "万", "亿", "．", ".", "%", "×",
            "兆瓦", "MW", "\n", "\n\n", "\r\n", "\u{c}", "　", "：", "。", "，", "、", "（", "）",
            "“", "”", "《", "》", "一、", "（一）", "记者", "问：", "答：", "古交市", "清徐县",
            "太原", "山西省", "开工", "签约", "总投资", "\u{feff}", "\u{200b}", "\u{301}",
        ])
        .prop_map(str::to_owned),
        2 => any::<String>(),
        1 => "[0-9０-９一二三四五六七八九十百千万亿.．]{1,12}",
    ]
}

fn arbitrary_text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|parts| parts.concat())
}

/// Bytes that look like files: arbitrary, and sample articles re-encoded and damaged.
fn arbitrary_bytes() -> impl Strategy<Value = Vec<u8>> {
    let encoded = (
        article_window(),
        prop::sample::select(vec!["utf-8", "gb18030", "big5", "utf-16le"]),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        any::<bool>(),
    )
        .prop_map(|(text, label, damage, bom)| {
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).expect("label");
            let mut bytes = if encoding == encoding_rs::UTF_16LE {
                text.encode_utf16().flat_map(u16::to_le_bytes).collect()
            } else {
                encoding.encode(&text).0.into_owned()
            };
            if bom {
                let mark: &[u8] = if encoding == encoding_rs::UTF_16LE {
                    &[0xFF, 0xFE]
                } else {
                    &[0xEF, 0xBB, 0xBF]
                };
                bytes.splice(0..0, mark.iter().copied());
            }
            for (at, byte) in damage {
                if !bytes.is_empty() {
                    let at = at.index(bytes.len());
                    bytes[at] = byte;
                }
            }
            bytes
        });
    prop_oneof![any::<Vec<u8>>(), encoded]
}

/// Checks every item against the text it was extracted from.
fn assert_spans_match(text: &str, items: &[Item]) -> Result<(), TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    for item in items {
        prop_assert!(
            item.start <= item.end && item.end <= chars.len(),
            "{item:?} outside a text of {} characters",
            chars.len()
        );
        let spanned: String = chars[item.start..item.end].iter().collect();
        prop_assert_eq!(&spanned, &item.text, "offsets of {:?}", item);
    }
    Ok(())
}

fn json_of(file: &str, text: &str, items: Vec<Item>) -> Vec<u8> {
    let document = Document {
        file: file.to_owned(),
        chars: text.chars().count(),
        text: text.to_owned(),
        ..Document::default()
    };
    let extraction = Extraction {
        documents: vec![document],
        items,
        ..Extraction::default()
    };
    let mut out = Vec::new();
    export::write(&extraction, Format::Json, &mut out).expect("writing to memory");
    out
}

proptest! {
    // Failing cases are kept beside this file and replayed first on every run.
    #![proptest_config(ProptestConfig {
        cases: 192,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("tests/properties.proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn extraction_spans_ids_and_json_hold_for_any_text(text in arbitrary_text()) {
        let extractor = Extractor::shared();
        let items = extractor.extract_text("2024-05-06 任意.txt", &text);
        assert_spans_match(&text, &items)?;

        let again = extractor.extract_text("2024-05-06 任意.txt", &text);
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        let ids_again: Vec<&str> = again.iter().map(|i| i.id.as_str()).collect();
        prop_assert_eq!(&ids, &ids_again);
        let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
        prop_assert_eq!(unique.len(), ids.len(), "ids repeat: {:?}", ids);

        let json = json_of("任意.txt", &text, items.clone());
        let parsed: serde_json::Value = serde_json::from_slice(&json)
            .map_err(|e| TestCaseError::fail(format!("JSON does not parse: {e}")))?;
        let parsed_items = parsed["items"].as_array().expect("items array");
        prop_assert_eq!(parsed_items.len(), items.len());
        for (value, item) in parsed_items.iter().zip(&items) {
            prop_assert_eq!(value["text"].as_str(), Some(item.text.as_str()));
            prop_assert_eq!(value["start"].as_u64(), Some(item.start as u64));
        }
    }

    #[test]
    fn decoding_never_panics_and_gives_lf_text(bytes in arbitrary_bytes()) {
        if let Ok(decoded) = decode(&bytes) {
            prop_assert!(!decoded.text.contains('\r'), "a CR survived decoding");
            let items = Extractor::shared().extract_text("bytes.txt", &decoded.text);
            assert_spans_match(&decoded.text, &items)?;
        }
    }
}
