//! From positioned glyphs to paragraphs in reading order. Knows nothing of PDF syntax,
//! so any reader that gives glyph positions can feed it.

use super::{Page, PdfText};

/// One glyph as drawn: baseline origin (`x`, `y`, y growing down the page), its advance
/// and font size in page units, and the text it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub x: f64,
    pub y: f64,
    pub advance: f64,
    pub size: f64,
    pub text: String,
}

/// A run of glyphs on one baseline with no wide gap inside: a line, or the part of a
/// line in one column.
#[derive(Debug, Clone)]
struct Fragment {
    page: usize,
    x0: f64,
    x1: f64,
    baseline: f64,
    size: f64,
    text: String,
    /// Where its first word ends (one character for CJK): whether that word would have
    /// fitted at the end of the line before tells a paragraph's end.
    first_word_end: Option<f64>,
}

impl Fragment {
    fn top(&self) -> f64 {
        self.baseline - 0.9 * self.size
    }
    fn bottom(&self) -> f64 {
        self.baseline + 0.2 * self.size
    }
}

/// A fragment placed in reading order, with the extent of the column it was found in.
#[derive(Debug, Clone)]
struct Placed {
    fragment: Fragment,
    column: (f64, f64),
    /// Which region of the page it came from; a change means a column or block break.
    region: usize,
}

/// Gaps wider than this many ems split a line into fragments (columns, table cells).
const GAP_EMS: f64 = 1.2;
/// An empty vertical band at least this many ems wide separates columns.
const GUTTER_EMS: f64 = 0.8;
/// A column is at least this many ems wide.
const MIN_COLUMN_EMS: f64 = 4.0;
/// The share of the page height at the top and bottom where running heads and page
/// numbers live.
const MARGIN_BAND: f64 = 0.12;
/// Regions with more fragments than this are read top to bottom without looking for
/// columns: the column search is quadratic in the fragments of a region.
const MAX_CUT_FRAGMENTS: usize = 2000;

pub(super) fn reading_order(pages: &[Page]) -> PdfText {
    let mut fragments: Vec<Vec<Fragment>> = pages
        .iter()
        .enumerate()
        .map(|(index, page)| fragments_of(index, &page.glyphs))
        .collect();
    drop_running_heads(pages, &mut fragments);
    let mut placed = Vec::new();
    let mut region = 0;
    for page_fragments in fragments {
        cut(page_fragments, &mut placed, &mut region);
    }
    fit_columns(&mut placed);
    paragraphs(pages, &placed)
}

/// Narrows each line's column to the extent of the lines that share it and its font size.
/// A region the cut never split is as wide as the page's widest line, often a headline;
/// text set in one narrower column under it (a short article in the first column of two)
/// would have every line end "short" against the headline's width. And headings set
/// further left than the text they head would make every line of it look indented.
fn fit_columns(placed: &mut [Placed]) {
    let mut groups: std::collections::HashMap<(usize, u64, u64, i64), Vec<usize>> =
        Default::default();
    for (index, line) in placed.iter().enumerate() {
        let key = (
            line.fragment.page,
            line.column.0.to_bits(),
            line.column.1.to_bits(),
            (line.fragment.size * 2.0).round() as i64,
        );
        groups.entry(key).or_default().push(index);
    }
    for members in groups.into_values() {
        let edges = column_edges(members.iter().map(|&i| &placed[i].fragment));
        for index in members {
            placed[index].column = edges;
        }
    }
}

/// Where a glyph's ink is across its advance: CJK punctuation fills half the em box, a
/// closing mark the left half and an opening one the right half. Typesetters let closing
/// marks hang into the margin, so the advance would close a column's gutter.
fn ink(glyph: &Glyph) -> (f64, f64) {
    let mut chars = glyph.text.chars();
    let half = glyph.advance / 2.0;
    match (chars.next(), chars.next()) {
        (Some(c), None) if "、，。．：；！？）」』】〕〉》”’".contains(c) => {
            (glyph.x, glyph.x + half)
        }
        (Some(c), None) if "（「『【〔〈《“‘".contains(c) => {
            (glyph.x + half, glyph.x + glyph.advance)
        }
        _ => (glyph.x, glyph.x + glyph.advance),
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Groups a page's glyphs into fragments: by baseline, then left to right, split at wide
/// gaps. A glyph drawn twice at the same place (fake bold, shadows) counts once.
fn fragments_of(page: usize, glyphs: &[Glyph]) -> Vec<Fragment> {
    let mut sorted: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| g.x.is_finite() && g.y.is_finite() && g.advance.is_finite())
        .collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for glyph in sorted {
        match lines.last_mut() {
            Some(line) if glyph.y - line[0].y <= 0.3 * line[0].size.max(glyph.size) => {
                line.push(glyph)
            }
            _ => lines.push(vec![glyph]),
        }
    }
    let mut fragments = Vec::new();
    for mut line in lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut current: Option<Fragment> = None;
        for glyph in line {
            let (ink_start, ink_end) = ink(glyph);
            if let Some(fragment) = &mut current {
                let gap = ink_start - fragment.x1;
                let em = fragment.size.max(glyph.size);
                if fragment.text.ends_with(glyph.text.as_str())
                    && (ink_end - fragment.x1).abs() < 0.15 * em
                {
                    continue;
                }
                if gap <= GAP_EMS * em {
                    let prev = fragment.text.chars().last().unwrap_or(' ');
                    let next = glyph.text.chars().next().unwrap_or(' ');
                    // A visible gap between Latin letters or digits is a space the PDF
                    // did not draw as a glyph; Chinese has none.
                    if gap > 0.15 * em && may_space(prev, next) {
                        fragment.text.push(' ');
                        fragment.first_word_end.get_or_insert(fragment.x1);
                    }
                    if glyph.text.trim().is_empty() {
                        fragment.first_word_end.get_or_insert(fragment.x1);
                    }
                    fragment.text.push_str(&glyph.text);
                    fragment.x1 = fragment.x1.max(ink_end);
                    fragment.size = fragment.size.max(glyph.size);
                    continue;
                }
                fragments.push(current.take().expect("set above"));
            }
            current = Some(Fragment {
                page,
                x0: ink_start,
                x1: ink_end,
                baseline: glyph.y,
                size: glyph.size,
                text: glyph.text.clone(),
                first_word_end: glyph
                    .text
                    .chars()
                    .next()
                    .is_some_and(is_wide)
                    .then_some(ink_end),
            });
        }
        fragments.extend(current);
    }
    for fragment in &mut fragments {
        fragment.text = collapse_spaces(&fragment.text);
    }
    fragments.retain(|f| !f.text.is_empty());
    fragments
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops running heads and feet (the same text near the top or bottom of at least half
/// the pages, digits aside; on a single page, small print there) and page numbers.
fn drop_running_heads(pages: &[Page], fragments: &mut [Vec<Fragment>]) {
    let in_margin = |f: &Fragment| {
        let height = pages[f.page].height;
        height > 0.0
            && (f.top() < MARGIN_BAND * height || f.bottom() > (1.0 - MARGIN_BAND) * height)
    };
    let key = |f: &Fragment| -> String {
        f.text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut pages_with: std::collections::HashMap<String, std::collections::BTreeSet<usize>> =
        std::collections::HashMap::new();
    for fragment in fragments.iter().flatten().filter(|f| in_margin(f)) {
        pages_with
            .entry(key(fragment))
            .or_default()
            .insert(fragment.page);
    }
    let page_count = fragments.len();
    let body = body_size(fragments.iter().flatten());
    for page in fragments.iter_mut() {
        page.retain(|f| {
            if !in_margin(f) {
                return true;
            }
            let repeats = pages_with.get(&key(f)).map_or(0, |p| p.len());
            // A document's title at the head of its first page is often its running
            // head on the others too; running heads are never set larger than the text.
            let larger = f.size > body + 0.5;
            let running = repeats >= 2 && 2 * repeats >= page_count && !larger;
            // One page gives nothing to compare with: there, small print in the margin
            // band (a paper's name and edition over an e-paper clipping) is the head.
            let small_print = page_count == 1 && f.size <= 0.9 * body;
            !running && !small_print && !is_page_number(&f.text)
        });
    }
}

/// `3`, `- 3 -`, `第3页`, `第 3 版`, `3/12`, `Page 3`, `Page 3 of 12`.
fn is_page_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let core =
        compact.trim_matches(|c| matches!(c, '-' | '–' | '—' | '·' | '(' | ')' | '（' | '）'));
    let core = core
        .strip_prefix("Page")
        .or_else(|| core.strip_prefix("page"))
        .or_else(|| core.strip_prefix('第'))
        .unwrap_or(core);
    let core = core
        .strip_suffix('页')
        .or_else(|| core.strip_suffix('版'))
        .unwrap_or(core);
    let mut parts = core.splitn(2, ['/', '／']);
    let number = parts.next().unwrap_or("");
    let of = parts.next().map(|rest| rest.trim_start_matches("of"));
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.chars().all(|c| c.is_ascii_digit());
    let of_ok = |s: Option<&str>| s.is_none_or(digits);
    if let Some((n, total)) = core.split_once("of") {
        return digits(n) && digits(total);
    }
    digits(number) && of_ok(of)
}

/// Part of a page still to be ordered by [`cut`].
struct Region {
    fragments: Vec<Fragment>,
    /// The column it belongs to.
    column: (f64, f64),
    /// It starts a region of its own (a column or block break before it).
    new_region: bool,
    /// Columns found in it must each have two lines or more (see [`cut`]).
    strict: bool,
}

/// Orders one page's fragments by a recursive XY cut: a region with an empty vertical
/// band is split into columns read left to right; otherwise its top band (lines up to the
/// first empty horizontal band) is read first and the rest is cut again. Peeling one band
/// at a time lets a headline across the page come first and the columns under it be
/// found afterwards.
fn cut(fragments: Vec<Fragment>, out: &mut Vec<Placed>, region: &mut usize) {
    if fragments.is_empty() {
        return;
    }
    let column = column_edges(&fragments);
    // Regions to read, last first.
    let mut stack = vec![Region {
        fragments,
        column,
        new_region: true,
        strict: false,
    }];
    while let Some(Region {
        mut fragments,
        column,
        new_region,
        strict,
    }) = stack.pop()
    {
        if new_region {
            *region += 1;
        }
        if fragments.len() > MAX_CUT_FRAGMENTS {
            fragments.sort_by(|a, b| {
                a.baseline
                    .total_cmp(&b.baseline)
                    .then(a.x0.total_cmp(&b.x0))
            });
            out.extend(fragments.into_iter().map(|fragment| Placed {
                fragment,
                column,
                region: *region,
            }));
            continue;
        }
        // A headline comes first even where it is narrower than the columns under it (a
        // wrapped headline's short last line sits over one column only).
        let headline_on_top = fragments.len() > 1 && {
            fragments.sort_by(|a, b| a.top().total_cmp(&b.top()).then(a.x0.total_cmp(&b.x0)));
            let split = first_band_end(&fragments);
            let body = body_size(fragments.iter());
            split < fragments.len() && fragments[..split].iter().all(|f| f.size > body + 0.5)
        };
        if !headline_on_top
            && fragments.len() > 1
            && let Some(columns) = split_columns(&mut fragments, strict)
        {
            for part in columns.into_iter().rev() {
                let edges = column_edges(&part);
                stack.push(Region {
                    fragments: part,
                    column: edges,
                    new_region: true,
                    strict: false,
                });
            }
            continue;
        }
        fragments.sort_by(|a, b| a.top().total_cmp(&b.top()).then(a.x0.total_cmp(&b.x0)));
        let split = first_band_end(&fragments);
        if split == fragments.len() {
            // One band: a line (or lines that overlap); read it left to right.
            let mut band = fragments;
            band.sort_by(|a, b| {
                a.baseline
                    .total_cmp(&b.baseline)
                    .then(a.x0.total_cmp(&b.x0))
            });
            out.extend(merge_lines(band).into_iter().map(|fragment| Placed {
                fragment,
                column,
                region: *region,
            }));
            continue;
        }
        // What is left under a peeled band had no gutter while the band was there. A
        // headline lifted off reveals the columns under it; a line of text lifted off
        // the bottom of a column reveals only gaps of that column's last lines (a date
        // justified across the line), so there each column must have lines of its own.
        let rest = fragments.split_off(split);
        let body = body_size(rest.iter());
        let band_is_headline = fragments.iter().all(|f| f.size > body + 0.5);
        stack.push(Region {
            fragments: rest,
            column,
            new_region: false,
            strict: !band_is_headline,
        });
        stack.push(Region {
            fragments,
            column,
            new_region: false,
            strict: false,
        });
    }
}

/// The horizontal extent of some fragments: a region's column until [`fit_columns`]
/// narrows it.
fn column_edges<'a>(fragments: impl IntoIterator<Item = &'a Fragment>) -> (f64, f64) {
    fragments
        .into_iter()
        .fold((f64::MAX, f64::MIN), |(left, right), fragment| {
            (left.min(fragment.x0), right.max(fragment.x1))
        })
}

/// Joins fragments that share a baseline (sorted by baseline, then x) into one line:
/// inside a column, a wide gap is stretched justification or table cells, not a gutter.
fn merge_lines(band: Vec<Fragment>) -> Vec<Fragment> {
    let mut lines: Vec<Fragment> = Vec::new();
    for fragment in band {
        match lines.last_mut() {
            Some(line)
                if (fragment.baseline - line.baseline).abs()
                    <= 0.3 * line.size.max(fragment.size) =>
            {
                let last = line.text.chars().last().unwrap_or(' ');
                let first = fragment.text.chars().next().unwrap_or(' ');
                if needs_space(last, first) {
                    line.text.push(' ');
                }
                line.text.push_str(&fragment.text);
                line.x1 = line.x1.max(fragment.x1);
                line.size = line.size.max(fragment.size);
            }
            _ => lines.push(fragment),
        }
    }
    lines
}

/// How many of the fragments (sorted by top) lie above the first empty horizontal band:
/// the region's top band. All of them when there is no such band.
fn first_band_end(fragments: &[Fragment]) -> usize {
    let mut bottom = f64::MIN;
    for (index, fragment) in fragments.iter().enumerate() {
        if index > 0 && fragment.top() > bottom {
            return index;
        }
        bottom = bottom.max(fragment.bottom());
    }
    fragments.len()
}

/// Splits fragments at empty vertical bands at least [`GUTTER_EMS`] wide into columns
/// that stand side by side; `None` when there are none.
fn split_columns(fragments: &mut [Fragment], strict: bool) -> Option<Vec<Vec<Fragment>>> {
    fragments.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut sizes: Vec<f64> = fragments.iter().map(|f| f.size).collect();
    sizes.sort_by(f64::total_cmp);
    let em = sizes[sizes.len() / 2];
    let mut columns: Vec<Vec<Fragment>> = vec![Vec::new()];
    let mut right = f64::MIN;
    for fragment in fragments.iter() {
        if !columns[0].is_empty() && fragment.x0 - right >= GUTTER_EMS * em {
            columns.push(Vec::new());
        }
        right = right.max(fragment.x1);
        columns
            .last_mut()
            .expect("never empty")
            .push(fragment.clone());
    }
    // Columns hold text, several characters wide: single characters apart are a line
    // justified with wide gaps (a long number or address that would not break).
    let narrow = columns.iter().any(|part| {
        let (left, right) = column_edges(part);
        right - left < MIN_COLUMN_EMS * em
    });
    // With `strict`, every column has at least two lines.
    let one_line = |part: &Vec<Fragment>| {
        part.iter()
            .all(|f| (f.baseline - part[0].baseline).abs() <= 0.3 * f.size)
    };
    if columns.len() < 2 || narrow || (strict && columns.iter().any(one_line)) {
        return None;
    }
    // Columns stand side by side: each shares a band of height with the next. A gap
    // between parts that only sit above and below each other (a one-character last
    // line left of indented first lines) is no gutter.
    let side_by_side = columns
        .windows(2)
        .all(|pair| overlaps_vertically(&pair[0], &pair[1]));
    side_by_side.then_some(columns)
}

fn overlaps_vertically(left: &[Fragment], right: &[Fragment]) -> bool {
    let intervals = |fragments: &[Fragment]| {
        let mut spans: Vec<(f64, f64)> = fragments.iter().map(|f| (f.top(), f.bottom())).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        spans
    };
    let (a, b) = (intervals(left), intervals(right));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let overlap = a[i].1.min(b[j].1) - a[i].0.max(b[j].0);
        if overlap > 0.0 {
            return true;
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    false
}

/// Joins placed fragments into paragraphs.
fn paragraphs(pages: &[Page], placed: &[Placed]) -> PdfText {
    let pitch = typical_pitch(placed);
    let body_size = body_size(placed.iter().map(|line| &line.fragment));
    let mut text = String::new();
    let mut chars = 0usize;
    let mut paragraph_pages = Vec::new();
    let mut previous: Option<&Placed> = None;
    for line in placed {
        let continues =
            previous.is_some_and(|prev| continues_paragraph(prev, line, pitch, body_size));
        let content = &line.fragment.text;
        if continues {
            let joined = join(&mut text, content);
            chars += joined;
        } else {
            if !text.is_empty() {
                text.push_str("\n\n");
                chars += 2;
            }
            paragraph_pages.push((chars, pages[line.fragment.page].number));
            text.push_str(content);
            chars += content.chars().count();
        }
        previous = Some(line);
    }
    PdfText {
        text,
        paragraph_pages,
        pages: pages.len() as u32,
    }
}

/// The font size most of the text is set in (to half a point).
fn body_size<'a>(fragments: impl Iterator<Item = &'a Fragment>) -> f64 {
    let mut chars_by_size: std::collections::BTreeMap<i64, usize> = Default::default();
    for fragment in fragments {
        let key = (fragment.size * 2.0).round() as i64;
        *chars_by_size.entry(key).or_default() += fragment.text.chars().count();
    }
    chars_by_size
        .into_iter()
        .max_by_key(|&(_, chars)| chars)
        .map_or(0.0, |(key, _)| key as f64 / 2.0)
}

/// The usual distance between consecutive baselines of body lines, in ems.
fn typical_pitch(placed: &[Placed]) -> f64 {
    let mut ratios: Vec<f64> = placed
        .windows(2)
        .filter(|pair| {
            pair[0].region == pair[1].region && pair[0].fragment.page == pair[1].fragment.page
        })
        .filter_map(|pair| {
            let (a, b) = (&pair[0].fragment, &pair[1].fragment);
            let dy = b.baseline - a.baseline;
            ((a.size - b.size).abs() < 0.5 && dy > 0.0 && dy < 3.0 * a.size).then(|| dy / a.size)
        })
        .collect();
    if ratios.is_empty() {
        return 1.5;
    }
    ratios.sort_by(f64::total_cmp);
    // The line pitch is the smallest common step: in an article of one-line paragraphs
    // most steps are paragraph gaps, which a median would take for the pitch.
    ratios[ratios.len() / 10]
}

fn continues_paragraph(prev: &Placed, line: &Placed, pitch: f64, body_size: f64) -> bool {
    let (p, l) = (&prev.fragment, &line.fragment);
    if (p.size - l.size).abs() > 0.5 {
        return false;
    }
    let em = l.size;
    let indented = l.x0 > line.column.0 + 0.8 * em;
    // The line before ended its paragraph if this line's first word would have fitted
    // after it: right for ragged-right Latin text as for justified Chinese, where a
    // word is one character.
    let short = prev.column.1 - p.x1 > first_word_width(l) + 0.25 * em;
    let centred = |f: &Fragment, column: (f64, f64)| {
        let (left, right) = (f.x0 - column.0, column.1 - f.x1);
        left > em && right > em && (left - right).abs() < 1.5 * em
    };
    let same_block = prev.region == line.region && p.page == l.page;
    if same_block {
        let dy = l.baseline - p.baseline;
        if dy <= 0.0 || dy > 1.2 * pitch * em {
            return false;
        }
        // A headline wraps into centred lines. (Body-sized centred lines are not taken
        // for one: an indented short line looks centred.)
        let headline = l.size > body_size + 0.5;
        if headline && centred(l, line.column) && (centred(p, prev.column) || !short) {
            return true;
        }
    }
    // A column or page break continues a paragraph the way a line break does: the line
    // before it is full and this one is not indented.
    !indented && !short
}

/// How wide a fragment's first word is.
fn first_word_width(fragment: &Fragment) -> f64 {
    fragment.first_word_end.unwrap_or(fragment.x1) - fragment.x0
}

/// Whether joining two lines needs a space between `last` and `first`: where
/// [`may_space`] allows one, but not after a hyphen and not between digits
/// (Chinese text breaks numbers anywhere, `1月1` / `4日`; English never breaks between
/// two digits).
fn needs_space(last: char, first: char) -> bool {
    let both_digits = last.is_ascii_digit() && first.is_ascii_digit();
    // A hyphen at a line's end belongs to what follows (`2025-07-` / `27`, `COVID-` /
    // `19`); between lower-case letters `join` removes it instead.
    may_space(last, first) && !both_digits && last != '-'
}

/// Whether a space can stand between `last` and `first` at all: not around CJK
/// characters, dashes and ellipses (which join what they stand between in either
/// language, `1—` / `8月`), not after an opening quote or bracket and not before a closing
/// one or punctuation. Justified lines stretch the gaps around such marks too.
fn may_space(last: char, first: char) -> bool {
    let dash = |c: char| matches!(c, '–' | '—' | '―' | '…');
    !is_wide(last)
        && !is_wide(first)
        && !last.is_whitespace()
        && !first.is_whitespace()
        && !dash(last)
        && !dash(first)
        && !"“‘([{".contains(last)
        && !"”’)]},.;:!?".contains(first)
}

/// Appends a paragraph's next line, with a space where [`needs_space`] says and a
/// line-end hyphen between Latin letters removed. Returns the characters added.
fn join(text: &mut String, next: &str) -> usize {
    let last = text.chars().last().unwrap_or(' ');
    let first = next.chars().next().unwrap_or(' ');
    let before_last = text.chars().rev().nth(1).unwrap_or(' ');
    let mut added = 0;
    if last == '-' && before_last.is_ascii_alphabetic() && first.is_ascii_lowercase() {
        text.pop();
        added -= 1isize;
    } else if needs_space(last, first) {
        text.push(' ');
        added += 1;
    }
    text.push_str(next);
    (added + next.chars().count() as isize) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_recognised() {
        for yes in [
            "3",
            "- 3 -",
            "第3页",
            "第 12 版",
            "3/12",
            "Page 3",
            "Page 3 of 12",
            "（3）",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["2022年", "第三页", "3月", "清徐县", "", "123456"] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn lines_join_without_spaces_in_chinese_and_hyphens_in_english() {
        let mut text = "清徐县推进".to_owned();
        assert_eq!(join(&mut text, "储能项目"), 4);
        assert_eq!(text, "清徐县推进储能项目");
        let mut text = "the invest-".to_owned();
        assert_eq!(join(&mut text, "ment plan"), 8);
        assert_eq!(text, "the investment plan");
        let mut text = "total of".to_owned();
        join(&mut text, "3 billion");
        assert_eq!(text, "total of 3 billion");
        let mut text = "实施“".to_owned();
        join(&mut text, "3820”战略工程");
        assert_eq!(text, "实施“3820”战略工程");
        let mut text = "今年1—".to_owned();
        join(&mut text, "8月份");
        assert_eq!(text, "今年1—8月份");
    }

    fn glyphs(text: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * size,
                y,
                advance: size,
                size,
                text: c.to_string(),
            })
            .collect()
    }

    /// Glyphs of Latin text at 0.5 em per letter, spaces drawn as glyphs.
    fn latin(text: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * size / 2.0,
                y,
                advance: size / 2.0,
                size,
                text: c.to_string(),
            })
            .collect()
    }

    #[test]
    fn ragged_right_lines_continue_unless_the_next_word_would_have_fitted() {
        let lines = [
            "the first line of a paragraph set ragged right",
            "then a line that ends early because the",
            "following-word is long, and here it ends.",
            "A new paragraph starts here with no indent at all",
            "and goes on.",
        ];
        let mut glyphs = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            glyphs.extend(latin(line, 100.0, 100.0 + i as f64 * 13.0, 10.0));
        }
        let page = Page {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs,
        };
        assert_eq!(
            reading_order(&[page]).text,
            "the first line of a paragraph set ragged right then a line that ends early because \
             the following-word is long, and here it ends.\n\nA new paragraph starts here with \
             no indent at all and goes on."
        );
    }

    fn page_of(glyphs: Vec<Glyph>) -> Page {
        Page {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs,
        }
    }

    /// Lines of a column at `x`, 20 characters wide, 15 apart from `y`; a line starting
    /// with `　` is indented two characters.
    fn column(lines: &[&str], x: f64, y: f64) -> Vec<Glyph> {
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let (text, indent) = match line.strip_prefix('　') {
                Some(rest) => (rest, 20.0),
                None => (*line, 0.0),
            };
            out.extend(glyphs(text, x + indent, y + i as f64 * 15.0, 10.0));
        }
        out
    }

    #[test]
    fn an_article_in_one_column_under_a_wider_headline_keeps_its_paragraphs() {
        let mut glyphs = glyphs("一条很长的标题横跨整个版面", 100.0, 100.0, 30.0);
        glyphs.extend(column(
            &[
                "　甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲",
                "甲甲甲。",
                "　乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙",
                "乙乙乙乙。",
            ],
            100.0,
            150.0,
        ));
        assert_eq!(
            reading_order(&[page_of(glyphs)]).text,
            "一条很长的标题横跨整个版面\n\n甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲。\n\n乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙。"
        );
    }

    #[test]
    fn a_line_justified_with_wide_gaps_at_a_columns_end_stays_one_line() {
        let mut glyphs = column(&["　甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲"], 100.0, 100.0);
        // 更 新 时 间 spread over the line, the date at its right end, the rest below.
        for (i, c) in "更新时间".chars().enumerate() {
            glyphs.extend(super::tests::glyphs(
                &c.to_string(),
                100.0 + i as f64 * 35.0,
                115.0,
                10.0,
            ));
        }
        glyphs.extend(latin("2025-07-", 250.0, 115.0, 10.0));
        glyphs.extend(latin("27T03:01Z", 100.0, 130.0, 10.0));
        assert_eq!(
            reading_order(&[page_of(glyphs)]).text,
            "甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲更新时间2025-07-27T03:01Z"
        );
    }

    #[test]
    fn one_line_paragraphs_apart_are_told_from_the_lines_of_one() {
        // Five full-width one-line paragraphs 20 apart, then a two-line one at 15.
        let mut glyphs = Vec::new();
        for i in 0..5 {
            glyphs.extend(glyphs_line(i, 100.0 + i as f64 * 20.0));
        }
        glyphs.extend(glyphs_line(5, 200.0));
        glyphs.extend(glyphs_line(6, 215.0));
        let text = reading_order(&[page_of(glyphs)]).text;
        assert_eq!(text.split("\n\n").count(), 6, "{text}");
    }

    fn glyphs_line(i: usize, y: f64) -> Vec<Glyph> {
        let c = char::from_u32('甲' as u32 + i as u32).unwrap();
        glyphs(&c.to_string().repeat(20), 100.0, y, 10.0)
    }

    #[test]
    fn two_columns_are_read_one_after_the_other_under_a_headline() {
        let size = 10.0;
        let mut page = Page {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs: glyphs("标题跨两栏", 230.0, 150.0, 20.0),
        };
        // Left column: x 100..300, right column: x 320..520, lines aligned.
        for (i, line) in ["甲一甲一甲一甲一甲一甲一甲一甲一甲一甲一", "甲二"]
            .iter()
            .enumerate()
        {
            page.glyphs
                .extend(glyphs(line, 100.0, 200.0 + i as f64 * 15.0, size));
        }
        for (i, line) in ["　乙一乙一乙一乙一乙一乙一乙一乙一乙一乙", "乙二乙二"]
            .iter()
            .enumerate()
        {
            let x = if i == 0 { 330.0 } else { 320.0 };
            page.glyphs.extend(glyphs(
                line.trim_start_matches('　'),
                x + if i == 0 { 10.0 } else { 0.0 },
                200.0 + i as f64 * 15.0,
                size,
            ));
        }
        let text = reading_order(&[page]).text;
        assert_eq!(
            text,
            "标题跨两栏\n\n甲一甲一甲一甲一甲一甲一甲一甲一甲一甲一甲二\n\n乙一乙一乙一乙一乙一乙一乙一乙一乙一乙乙二乙二"
        );
    }
}
