//! Every character the app may show has a glyph in the bundled fonts (issue 15: `Ⅳ级`
//! showed as `□级`): the sample articles, the development articles, every interface
//! string in both languages, and, when `POLICYLENS_CORPUS` names an unpacked copy of
//! the news corpus, all of its texts. Only characters no font draws are exempt:
//! controls, private-use code points and invisible format characters (zero-width
//! space and joiners, directional marks, the BOM).

#![cfg(feature = "gui")]

use std::collections::BTreeMap;
use std::path::Path;

use skrifa::MetadataProvider;

/// The fonts the app draws with: egui's own, then the bundled CJK font.
fn font_files() -> Vec<Vec<u8>> {
    let mut fonts: Vec<Vec<u8>> = egui::FontDefinitions::default()
        .font_data
        .values()
        .map(|data| data.font.as_ref().as_ref().to_vec())
        .collect();
    fonts.push(policylens::ui::theme::CJK_FONT.to_vec());
    fonts
}

fn drawn_by_no_font(c: char) -> bool {
    c.is_control()
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || c >= '\u{F0000}'
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// Characters of `text` without a glyph, with a count.
fn uncovered(fonts: &[skrifa::FontRef<'_>], text: &str, missing: &mut BTreeMap<char, usize>) {
    for c in text.chars() {
        if c.is_ascii() || drawn_by_no_font(c) {
            continue;
        }
        if !fonts.iter().any(|f| f.charmap().map(c).is_some()) {
            *missing.entry(c).or_default() += 1;
        }
    }
}

fn texts_under(folder: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            texts_under(&path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            out.push(text);
        }
    }
}

#[test]
fn every_character_shown_has_a_glyph() {
    let files = font_files();
    let fonts: Vec<skrifa::FontRef<'_>> = files
        .iter()
        .map(|bytes| skrifa::FontRef::new(bytes).expect("a font"))
        .collect();
    let mut texts = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    texts_under(&root.join("sample_data"), &mut texts);
    texts_under(&root.join("../shared/dev"), &mut texts);
    if let Some(corpus) = std::env::var_os("POLICYLENS_CORPUS") {
        texts_under(Path::new(&corpus), &mut texts);
    }
    // Symbols written straight into the interface code (▲ ◐ ×): a missing one is tofu in
    // a release build and a panic in a debug one (✕ was both).
    texts_under(&root.join("src/ui"), &mut texts);
    texts.push(format!("{:?}", policylens::ui::i18n::ENGLISH));
    texts.push(format!("{:?}", policylens::ui::i18n::CHINESE));
    // The characters of the issue, and the number forms Chinese news writes.
    texts.push("防风Ⅳ级应急响应提升为Ⅲ级 国Ⅴ标准 ①②③ ＡＢＣ１２３ 〇 ㄅ ぁ".to_owned());
    let mut missing = BTreeMap::new();
    for text in &texts {
        uncovered(&fonts, text, &mut missing);
    }
    assert!(missing.is_empty(), "no glyph for {missing:?}");
}
