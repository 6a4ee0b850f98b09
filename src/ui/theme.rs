//! Design tokens (spacing, row heights, colours per item kind) and the bundled CJK font,
//! in one place so panels share them instead of repeating numbers.

use std::sync::Arc;

use egui::{Color32, FontData, FontDefinitions, FontFamily};

use crate::extract::ItemKind;

/// Noto Sans SC, subset to the CJK Unified Ideographs and punctuation (see fonts/README).
pub const CJK_FONT: &[u8] = include_bytes!("../../fonts/NotoSansSC-Regular-subset.ttf");
const CJK_FONT_NAME: &str = "NotoSansSC";

/// Height of a table row, in points.
pub const ROW_HEIGHT: f32 = 22.0;
/// Height of a table header, in points.
pub const HEADER_HEIGHT: f32 = 24.0;
/// Space between groups of controls.
pub const GAP: f32 = 8.0;

/// Adds the CJK font after egui's own fonts, so Latin text keeps egui's look and Chinese
/// falls back to Noto Sans SC.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        CJK_FONT_NAME.to_owned(),
        Arc::new(FontData::from_static(CJK_FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push(CJK_FONT_NAME.to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Global style choices on top of egui's defaults.
pub fn apply_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        style.spacing.interact_size.y = 22.0;
    });
}

/// The colour that marks an item kind (chips, tints in the source view).
pub fn kind_color(kind: ItemKind, dark: bool) -> Color32 {
    let (light, dark_variant) = match kind {
        ItemKind::District => (
            Color32::from_rgb(0x1f, 0x6f, 0xd1),
            Color32::from_rgb(0x6c, 0xa8, 0xf5),
        ),
        ItemKind::Official => (
            Color32::from_rgb(0x8a, 0x3f, 0xc2),
            Color32::from_rgb(0xc0, 0x8f, 0xf0),
        ),
        ItemKind::Project => (
            Color32::from_rgb(0x1a, 0x8a, 0x4a),
            Color32::from_rgb(0x5c, 0xcf, 0x8a),
        ),
        ItemKind::Amount => (
            Color32::from_rgb(0xc2, 0x5e, 0x00),
            Color32::from_rgb(0xf5, 0xa4, 0x50),
        ),
        ItemKind::Date => (
            Color32::from_rgb(0x00, 0x7f, 0x8c),
            Color32::from_rgb(0x4f, 0xc8, 0xd4),
        ),
        ItemKind::City => (
            Color32::from_rgb(0x5f, 0x6b, 0x7a),
            Color32::from_rgb(0xa0, 0xab, 0xb8),
        ),
    };
    if dark { dark_variant } else { light }
}

/// The background tint of an extracted span in the source view.
pub fn kind_tint(kind: ItemKind, dark: bool) -> Color32 {
    let base = kind_color(kind, dark);
    let alpha = if dark { 60 } else { 38 };
    Color32::from_rgba_unmultiplied(base.r(), base.g(), base.b(), alpha)
}

/// The background of the selected span: strong, and distinct from every kind's tint.
pub fn selection_highlight(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x8a, 0x6d, 0x00)
    } else {
        Color32::from_rgb(0xff, 0xd8, 0x4d)
    }
}

/// The background of a full-text search match: distinct from the selected span's and
/// from every kind's tint.
pub fn search_highlight(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x9c, 0x3d, 0x6a)
    } else {
        Color32::from_rgb(0xff, 0xb3, 0xd9)
    }
}

/// Colour of error text.
pub fn error_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xff, 0x8a, 0x80)
    } else {
        Color32::from_rgb(0xb3, 0x26, 0x1e)
    }
}

/// Colour of a warning that needs no action right away (orphaned annotations).
pub fn warning_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xf0, 0xb4, 0x5a)
    } else {
        Color32::from_rgb(0x9a, 0x5b, 0x00)
    }
}

/// A small coloured label naming an item kind.
pub fn kind_chip(ui: &mut egui::Ui, kind: ItemKind, name: &str) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let color = kind_color(kind, dark);
    let text = egui::RichText::new(name).color(color).strong();
    ui.add(egui::Label::new(text).selectable(false))
}

/// The mark of an accepted item.
pub fn accepted_color(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_rgb(0x6c, 0xcf, 0x7f)
    } else {
        Color32::from_rgb(0x1e, 0x8a, 0x3c)
    }
}

/// How many series [`series_color`] tells apart; more would repeat a colour.
pub const DISTINCT_SERIES: usize = 9;

/// The colour of the series that gathers what has no distinct colour of its own.
pub fn other_series_color(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_gray(110)
    } else {
        Color32::from_gray(170)
    }
}

/// A categorical palette (Tableau 10 without its grey, kept for "other") for chart
/// series such as prefecture cities; repeats after [`DISTINCT_SERIES`].
pub fn series_color(index: usize) -> Color32 {
    const PALETTE: [[u8; 3]; DISTINCT_SERIES] = [
        [0x4e, 0x79, 0xa7],
        [0xf2, 0x8e, 0x2b],
        [0xe1, 0x57, 0x59],
        [0x76, 0xb7, 0xb2],
        [0x59, 0xa1, 0x4f],
        [0xed, 0xc9, 0x48],
        [0xb0, 0x7a, 0xa1],
        [0xff, 0x9d, 0xa7],
        [0x9c, 0x75, 0x5f],
    ];
    let [r, g, b] = PALETTE[index % PALETTE.len()];
    Color32::from_rgb(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A legend colour names one series: the distinct colours differ from each other
    /// and from the "other" grey.
    #[test]
    fn series_colours_are_distinct() {
        let colours: Vec<Color32> = (0..DISTINCT_SERIES).map(series_color).collect();
        for (i, a) in colours.iter().enumerate() {
            for b in &colours[i + 1..] {
                assert_ne!(a, b);
            }
            assert_ne!(*a, other_series_color(false));
            assert_ne!(*a, other_series_color(true));
        }
    }
}
