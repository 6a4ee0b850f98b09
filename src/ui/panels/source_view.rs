//! The article beside the table: every extracted span tinted by kind, the selected span
//! strongly highlighted and scrolled into view; a click on a tinted span selects its row.
//! Dragging across text selects it, and the selection can be added as a manual item.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{LayoutJob, LayoutSection, TextFormat};
use egui::{FontId, Galley, Sense, Stroke};

use super::items_table::tag_chips_ui;
use super::{PanelContext, add_as_buttons_ui};
use crate::extract::{Item, ItemKind};
use crate::ui::command::{Command, Extend};
use crate::ui::theme;
use crate::ui::workspace::Workspace;

/// Articles longer than this many characters are shown one page at a time, so that
/// laying out a 20 MB file never stalls the UI.
const PAGE_CHARS: usize = 50_000;

#[derive(Default)]
pub struct SourceView {
    /// Width of the gutter left of the text where a PDF's page numbers go (0 for other
    /// articles); the text wraps in what is left.
    page_gutter: f32,
    /// The page of a very long article that is shown: (document, page index).
    page: Option<(usize, usize)>,
    layout: Option<ArticleLayout>,
    /// The item last scrolled into view, so the view scrolls once per selection.
    revealed: Option<(u64, usize)>,
    /// Text selected by dragging: document and character range (anchor, moving end).
    text_selection: Option<(usize, usize, usize)>,
    /// A drag is selecting text: the *Add as* bar waits until it ends.
    dragging: bool,
    /// Where the article was last drawn: document, laid-out characters, the galley's
    /// screen origin and the galley (to find a character on screen).
    drawn: Option<(usize, Range<usize>, egui::Pos2, Arc<Galley>)>,
    /// The full-text search's matches in the article shown.
    search: Option<SearchMarks>,
    /// What the right-click menu acts on: document and characters (the selection, or
    /// the item under the pointer), fixed when the menu opens.
    menu_target: Option<(usize, Range<usize>)>,
    /// The search match last scrolled into view: document and first character.
    search_revealed: Option<(usize, usize)>,
}

/// The matches of the full-text search in one article, to highlight.
struct SearchMarks {
    /// Changes whenever the matches or the current one do.
    version: u64,
    document: usize,
    ranges: Vec<Range<usize>>,
    /// Which of `ranges` is the current match.
    current: Option<usize>,
}

/// The laid-out article and which item each tinted stretch of text belongs to.
struct ArticleLayout {
    key: LayoutKey,
    galley: Arc<Galley>,
    /// Character ranges (within the page) of tinted stretches and the item each shows,
    /// in text order.
    spans: Vec<(Range<usize>, usize)>,
}

#[derive(Clone, PartialEq)]
struct LayoutKey {
    generation: u64,
    document: usize,
    selected: Option<usize>,
    dark_mode: bool,
    wrap_width_px: u32,
    body_size_px: u32,
    text_selection: Option<Range<usize>>,
    /// The characters of the article laid out (all of it unless it is very long).
    window: Range<usize>,
    /// The search's version, when it has matches in this article.
    search_version: Option<u64>,
}

impl SourceView {
    /// Highlights the full-text search's matches: `version` changes whenever they do,
    /// and `marks` gives those of a document (character ranges, and which one is the
    /// current match); asked again only when the version or the document changes.
    pub fn follow_search(
        &mut self,
        version: u64,
        document: Option<usize>,
        marks: impl FnOnce(usize) -> (Vec<Range<usize>>, Option<usize>),
    ) {
        let Some(document) = document else {
            self.search = None;
            return;
        };
        if self
            .search
            .as_ref()
            .is_some_and(|s| s.version == version && s.document == document)
        {
            return;
        }
        let (ranges, current) = marks(document);
        self.search = Some(SearchMarks {
            version,
            document,
            ranges,
            current,
        });
    }

    /// The current search match in `document`, when there is one to show.
    fn current_match(&self, document: usize) -> Option<Range<usize>> {
        let marks = self.search.as_ref().filter(|s| s.document == document)?;
        marks.ranges.get(marks.current?).cloned()
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let workspace = cx.workspace;
        let Some(document_index) = cx.selection.document else {
            ui.add_space(theme::GAP * 2.0);
            ui.vertical_centered(|ui| ui.weak(strings.source_empty));
            return;
        };
        let document = &workspace.documents[document_index];
        ui.horizontal_wrapped(|ui| {
            ui.weak(&document.file);
            if let Some(encoding) = &document.encoding {
                ui.weak(format!("· {encoding} · {} 字", document.chars));
            }
        });
        legend_ui(ui, strings);
        if let Some(item_index) = cx.selection.item {
            let item = &workspace.items[item_index];
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(format!("{}:", strings.selected)).strong());
                theme::kind_chip(ui, item.kind, strings.kind(item.kind));
                ui.label(format!("«{}»", item.text));
                if let Some(district) = &item.district {
                    ui.weak(format!("· {district}"));
                }
                ui.weak(format!("· {}–{}", item.start, item.end));
                if let Some(note) = cx.review.note_of(item_index) {
                    tag_chips_ui(ui, &cx.review.annotations, note);
                }
            });
        }
        if let Some(marks) = self
            .search
            .as_ref()
            .filter(|s| s.document == document_index)
            && let Some(current) = marks.current
        {
            ui.horizontal(|ui| {
                let place = strings
                    .search_place
                    .replace("{n}", &(current + 1).to_string())
                    .replace("{count}", &marks.ranges.len().to_string());
                ui.label(
                    egui::RichText::new(place)
                        .background_color(theme::search_highlight(ui.visuals().dark_mode)),
                );
                ui.weak(strings.search_steps_short);
            });
        }
        if let Some(error) = &document.error {
            ui.colored_label(
                theme::error_color(ui.visuals().dark_mode),
                cx.strings.document_error(error),
            );
            return;
        }
        self.add_as_bar_ui(ui, cx, document_index);
        let selected = cx
            .selection
            .item
            .filter(|&item| workspace.document_of_item[item] as usize == document_index);
        let window = self.window_ui(ui, cx, document_index, selected);
        // A PDF's paragraphs carry their page in a gutter left of the text.
        let page_label = |page: u32| strings.source_page.replace("{page}", &page.to_string());
        self.page_gutter = if document.paragraph_pages.is_empty() {
            0.0
        } else {
            let widest = page_label(document.paragraph_pages.last().map_or(1, |p| p.1));
            let font = egui::TextStyle::Small.resolve(ui.style());
            ui.fonts_mut(|fonts| fonts.layout_no_wrap(widest, font, egui::Color32::WHITE))
                .size()
                .x
                + theme::GAP * 2.0
        };
        let gutter = self.page_gutter;
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt(("source", document_index, window.start))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let text_selection = self.selected_text(document_index);
                let (galley, spans) = {
                    let layout = self.layout_for(
                        ui,
                        workspace,
                        document_index,
                        selected,
                        text_selection,
                        window.clone(),
                    );
                    (Arc::clone(&layout.galley), layout.spans.clone())
                };
                let (whole, response) = ui.allocate_exact_size(
                    galley.size() + egui::vec2(gutter, 0.0),
                    Sense::click_and_drag(),
                );
                let rect =
                    egui::Rect::from_min_size(whole.min + egui::vec2(gutter, 0.0), galley.size());
                let accessible_name = format!("{}: {}", strings.source, document.title);
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Label, true, &accessible_name)
                });
                let span_at = |pos: egui::Pos2| {
                    let char_index = galley.cursor_from_pos(pos - rect.min).index.0;
                    spans
                        .iter()
                        .find(|(range, _)| range.contains(&char_index))
                        .map(|(_, item)| *item)
                };
                if let Some(pos) = response.hover_pos()
                    && span_at(pos).is_some()
                {
                    ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
                }
                let char_at =
                    |pos: egui::Pos2| window.start + galley.cursor_from_pos(pos - rect.min).index.0;
                // The selection starts where the button went down: a drag is only
                // recognised once the pointer has moved, and anchoring it there lost the
                // first character.
                if response.drag_started()
                    && let Some(pos) = ui
                        .input(|i| i.pointer.press_origin())
                        .or(response.interact_pointer_pos())
                {
                    let at = char_at(pos);
                    self.text_selection = Some((document_index, at, at));
                }
                self.dragging = response.dragged();
                if response.dragged()
                    && let Some(pos) = response.interact_pointer_pos()
                    && let Some((_, _, end)) = &mut self.text_selection
                {
                    *end = char_at(pos);
                }
                if response.clicked() {
                    self.text_selection = None;
                }
                if response.secondary_clicked() {
                    let on_item = response
                        .interact_pointer_pos()
                        .and_then(span_at)
                        .map(|item| workspace.items[item].start..workspace.items[item].end);
                    self.menu_target = self
                        .selected_text(document_index)
                        .or(on_item)
                        .map(|range| (document_index, range));
                }
                response.context_menu(|ui| self.text_menu_ui(ui, cx));
                if response.clicked()
                    && let Some(pos) = response.interact_pointer_pos()
                    && let Some(item) = span_at(pos)
                {
                    cx.commands.push(Command::SelectItem {
                        item,
                        reveal: true,
                        extend: Extend::Replace,
                    });
                }
                ui.painter()
                    .galley(rect.min, Arc::clone(&galley), ui.visuals().text_color());
                for &(offset, page) in &document.paragraph_pages {
                    if !window.contains(&offset) {
                        continue;
                    }
                    let at =
                        galley.pos_from_cursor(egui::text::CCursor::new(offset - window.start));
                    let top = rect.min.y + at.min.y;
                    let label_rect = egui::Rect::from_min_max(
                        egui::pos2(whole.min.x, top),
                        egui::pos2(rect.min.x - theme::GAP, top + at.height()),
                    );
                    ui.put(
                        label_rect,
                        egui::Label::new(egui::RichText::new(page_label(page)).small().weak())
                            .selectable(false),
                    );
                }
                self.drawn = Some((
                    document_index,
                    window.clone(),
                    rect.min,
                    Arc::clone(&galley),
                ));
                if let Some(item) = selected
                    && self.revealed != Some((workspace.generation, item))
                {
                    self.revealed = Some((workspace.generation, item));
                    let start = galley.pos_from_cursor(egui::text::CCursor::new(
                        workspace.items[item].start.saturating_sub(window.start),
                    ));
                    ui.scroll_to_rect(
                        start.translate(rect.min.to_vec2()),
                        Some(egui::Align::Center),
                    );
                }
                if let Some(range) = self.current_match(document_index)
                    && self.search_revealed != Some((document_index, range.start))
                    && window.contains(&range.start)
                {
                    self.search_revealed = Some((document_index, range.start));
                    let start = galley
                        .pos_from_cursor(egui::text::CCursor::new(range.start - window.start));
                    ui.scroll_to_rect(
                        start.translate(rect.min.to_vec2()),
                        Some(egui::Align::Center),
                    );
                }
            });
    }

    /// The characters of a document to lay out: all of it, or for a very long article
    /// the page holding the selected item, with controls to move between pages.
    fn window_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &PanelContext<'_>,
        document: usize,
        selected: Option<usize>,
    ) -> Range<usize> {
        let chars = cx.workspace.documents[document].chars;
        if chars <= PAGE_CHARS {
            return 0..chars;
        }
        let pages = chars.div_ceil(PAGE_CHARS);
        let mut page = match self.page {
            Some((shown, page)) if shown == document => page,
            _ => 0,
        };
        // A newly selected item, or a new current search match, is shown on its page.
        if let Some(item) = selected
            && self.revealed != Some((cx.workspace.generation, item))
        {
            page = cx.workspace.items[item].start / PAGE_CHARS;
        }
        if let Some(range) = self.current_match(document)
            && self.search_revealed != Some((document, range.start))
        {
            page = range.start / PAGE_CHARS;
        }
        let strings = cx.strings;
        ui.horizontal_wrapped(|ui| {
            let start = page * PAGE_CHARS;
            let end = (start + PAGE_CHARS).min(chars);
            ui.weak(format!(
                "{} {start}–{end} / {chars} {}",
                strings.long_article_showing, strings.characters
            ));
            if ui
                .add_enabled(page > 0, egui::Button::new(strings.previous_page))
                .clicked()
            {
                page -= 1;
            }
            if ui
                .add_enabled(page + 1 < pages, egui::Button::new(strings.next_page))
                .clicked()
            {
                page += 1;
            }
        });
        self.page = Some((document, page));
        let start = page * PAGE_CHARS;
        start..(start + PAGE_CHARS).min(chars)
    }

    /// The *Add as* bar, in a row of its own that is always there, so the article never
    /// moves while the analyst drags across it: a hint until text is selected, the
    /// selection while dragging, the buttons once the drag ends.
    fn add_as_bar_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, document: usize) {
        let strings = cx.strings;
        let height = ui.spacing().interact_size.y;
        let layout = egui::Layout::left_to_right(egui::Align::Center);
        ui.allocate_ui_with_layout(egui::vec2(ui.available_width(), height), layout, |ui| {
            ui.set_min_height(height);
            let Some(range) = self.selected_text(document) else {
                ui.weak(strings.select_text_hint);
                return;
            };
            let text: String = cx.workspace.documents[document]
                .text
                .chars()
                .skip(range.start)
                .take(range.len())
                .collect();
            ui.add(egui::Label::new(format!("«{text}»")).truncate());
            if self.dragging {
                return;
            }
            if add_as_buttons_ui(ui, cx, document, range, true) {
                self.text_selection = None;
            }
        });
    }

    /// The search match highlighted as current in the article shown: document and
    /// characters (for tests).
    pub fn current_search_match(&self) -> Option<(usize, Range<usize>)> {
        let marks = self.search.as_ref()?;
        Some((marks.document, self.current_match(marks.document)?))
    }

    /// How many search matches are highlighted in the article shown (for tests).
    pub fn search_marks(&self) -> usize {
        self.search.as_ref().map_or(0, |s| s.ranges.len())
    }

    /// The article's right-click menu: add the selection as an item, search the articles
    /// for it, copy it plain or with its citation (`text — title, file`).
    fn text_menu_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let Some((document, range)) = self.menu_target.clone() else {
            ui.weak(strings.select_text_hint);
            return;
        };
        let source = &cx.workspace.documents[document];
        let text: String = source
            .text
            .chars()
            .skip(range.start)
            .take(range.len())
            .collect();
        let added = ui
            .horizontal(|ui| add_as_buttons_ui(ui, cx, document, range.clone(), false))
            .inner;
        if added {
            self.text_selection = None;
            ui.close();
        }
        let shown: String = text.chars().take(20).collect();
        if ui
            .button(strings.menu_search_for.replace("{text}", &shown))
            .clicked()
        {
            cx.commands.push(Command::SearchFor(text.clone()));
            ui.close();
        }
        if ui.button(strings.menu_copy).clicked() {
            ui.ctx().copy_text(text.clone());
            ui.close();
        }
        if ui.button(strings.menu_copy_citation).clicked() {
            ui.ctx().copy_text(citation(&text, source));
            ui.close();
        }
    }

    /// The characters selected by dragging in the article shown (for tests).
    pub fn text_selection(&self) -> Option<(usize, Range<usize>)> {
        let (document, _, _) = self.text_selection?;
        Some((document, self.selected_text(document)?))
    }

    /// Where on screen the boundary before character `index` of the shown article was
    /// drawn last: its left edge, halfway down its line (for tests that drag across
    /// text as a person does).
    pub fn boundary_on_screen(&self, index: usize) -> Option<egui::Pos2> {
        let (_, window, origin, galley) = self.drawn.as_ref()?;
        let local = index.checked_sub(window.start)?;
        let rect = galley.pos_from_cursor(egui::text::CCursor::new(local));
        Some(*origin + rect.left_center().to_vec2())
    }

    /// The dragged-over characters of `document`, when there are any.
    fn selected_text(&self, document: usize) -> Option<Range<usize>> {
        let (selected_in, anchor, end) = self.text_selection?;
        let range = anchor.min(end)..anchor.max(end);
        (selected_in == document && !range.is_empty()).then_some(range)
    }

    fn layout_for(
        &mut self,
        ui: &egui::Ui,
        workspace: &Workspace,
        document: usize,
        selected: Option<usize>,
        text_selection: Option<Range<usize>>,
        window: Range<usize>,
    ) -> &ArticleLayout {
        let gutter = self.page_gutter;
        let body_size = egui::TextStyle::Body.resolve(ui.style()).size;
        let key = LayoutKey {
            generation: workspace.generation,
            document,
            selected,
            dark_mode: ui.visuals().dark_mode,
            wrap_width_px: (ui.available_width() - gutter).max(100.0) as u32,
            body_size_px: (body_size * 10.0) as u32,
            text_selection,
            window,
            search_version: self
                .search
                .as_ref()
                .filter(|s| s.document == document && !s.ranges.is_empty())
                .map(|s| s.version),
        };
        if self.layout.as_ref().map(|l| &l.key) != Some(&key) {
            let window = key.window.clone();
            let items: Vec<(usize, &Item)> = workspace
                .items_in_document(document)
                .into_iter()
                .map(|i| (i, &workspace.items[i]))
                .filter(|(_, item)| item.start < window.end && item.end > window.start)
                .collect();
            let full_text = &workspace.documents[document].text;
            let text = if window.start == 0 && window.end >= workspace.documents[document].chars {
                full_text.as_str()
            } else {
                let byte_at = |char_index: usize| {
                    full_text
                        .char_indices()
                        .nth(char_index)
                        .map_or(full_text.len(), |(b, _)| b)
                };
                let start = byte_at(window.start);
                let end = start + {
                    let rest = &full_text[start..];
                    rest.char_indices()
                        .nth(window.len())
                        .map_or(rest.len(), |(b, _)| b)
                };
                &full_text[start..end]
            };
            // Spans and the text selection in the page's own character offsets.
            let spans: Vec<(Range<usize>, usize)> = tinted_spans(&items, selected)
                .into_iter()
                .map(|(range, item)| {
                    let start = range.start.max(window.start) - window.start;
                    let end = range.end.min(window.end) - window.start;
                    (start..end, item)
                })
                .filter(|(range, _)| !range.is_empty())
                .collect();
            let local_key = LayoutKey {
                text_selection: key.text_selection.clone().map(|r| {
                    r.start.clamp(window.start, window.end) - window.start
                        ..r.end.clamp(window.start, window.end) - window.start
                }),
                ..key.clone()
            };
            // Search matches in the page's own character offsets; the current one apart.
            let mut marks: Vec<(Range<usize>, bool)> = Vec::new();
            if let Some(search) = self.search.as_ref().filter(|s| s.document == document) {
                for (at, range) in search.ranges.iter().enumerate() {
                    if range.end <= window.start || range.start >= window.end {
                        continue;
                    }
                    let start = range.start.max(window.start) - window.start;
                    let end = range.end.min(window.end) - window.start;
                    marks.push((start..end, search.current == Some(at)));
                }
            }
            let job = article_job(
                ui,
                text,
                &workspace.items,
                &spans,
                &marks,
                selected,
                &local_key,
            );
            let galley = ui.painter().layout_job(job);
            self.layout = Some(ArticleLayout { key, galley, spans });
        }
        self.layout.as_ref().expect("layout was just built")
    }
}

/// A quotation with where it is from: `text — title, file`.
pub fn citation(text: &str, document: &crate::Document) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{text} — {}, {}", document.label(), document.file)
}

/// Which tint is which kind, in the tints the article is drawn with, and the search's.
fn legend_ui(ui: &mut egui::Ui, strings: &crate::ui::i18n::Strings) {
    let dark = ui.visuals().dark_mode;
    let chips = ItemKind::ALL.map(|kind| (strings.kind(kind), theme::kind_tint(kind, dark)));
    let search = (strings.legend_search, theme::search_highlight(dark));
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        ui.weak(strings.legend);
        for (name, tint) in chips.into_iter().chain([search]) {
            // Each chip stays whole: one that does not fit starts the next line.
            let font = egui::TextStyle::Body.resolve(ui.style());
            let width = ui
                .painter()
                .layout_no_wrap(name.to_owned(), font, egui::Color32::WHITE)
                .size()
                .x;
            if width > ui.available_width() {
                ui.end_row();
            }
            ui.add(egui::Label::new(egui::RichText::new(name).background_color(tint)).extend());
        }
    });
}

/// Splits the article's extracted spans into stretches that each show one item: the
/// selected one where it covers the stretch, else the innermost (shortest) covering one.
fn tinted_spans(items: &[(usize, &Item)], selected: Option<usize>) -> Vec<(Range<usize>, usize)> {
    let mut bounds: Vec<usize> = items.iter().flat_map(|(_, i)| [i.start, i.end]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut spans: Vec<(Range<usize>, usize)> = Vec::new();
    for pair in bounds.windows(2) {
        let stretch = pair[0]..pair[1];
        let covering = items
            .iter()
            .filter(|(_, i)| i.start <= stretch.start && stretch.end <= i.end);
        let chosen = covering
            .clone()
            .find(|(index, _)| Some(*index) == selected)
            .or_else(|| covering.min_by_key(|(_, i)| i.end - i.start));
        if let Some(&(item, _)) = chosen {
            match spans.last_mut() {
                Some((last, last_item)) if *last_item == item && last.end == stretch.start => {
                    last.end = stretch.end;
                }
                _ => spans.push((stretch, item)),
            }
        }
    }
    spans
}

fn article_job(
    ui: &egui::Ui,
    text: &str,
    items: &[Item],
    spans: &[(Range<usize>, usize)],
    marks: &[(Range<usize>, bool)],
    selected: Option<usize>,
    key: &LayoutKey,
) -> LayoutJob {
    let dark = key.dark_mode;
    let body_size = key.body_size_px as f32 / 10.0 + 1.0;
    let text_color = ui.visuals().text_color();
    let body = TextFormat {
        font_id: FontId::proportional(body_size),
        line_height: Some(body_size * 1.7),
        color: text_color,
        ..TextFormat::default()
    };
    let title = TextFormat {
        font_id: FontId::proportional(body_size * 1.4),
        line_height: Some(body_size * 2.2),
        color: ui.visuals().strong_text_color(),
        ..TextFormat::default()
    };
    // Character offsets to byte offsets, once per layout.
    let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    byte_of_char.push(text.len());
    let chars = byte_of_char.len() - 1;
    // Only the article's own start has a title line (a later page starts mid-text).
    let title_end = if key.window.start > 0 {
        0
    } else {
        text.find('\n').map_or(chars, |b| text[..b].chars().count())
    };
    // Stretches of uniform formatting: boundaries of the spans and of the title line.
    let mut cuts = vec![0, title_end, chars];
    if let Some(range) = &key.text_selection {
        cuts.push(range.start.min(chars));
        cuts.push(range.end.min(chars));
    }
    for (range, _) in spans {
        cuts.push(range.start.min(chars));
        cuts.push(range.end.min(chars));
    }
    for (range, _) in marks {
        cuts.push(range.start.min(chars));
        cuts.push(range.end.min(chars));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut job = LayoutJob {
        text: text.to_owned(),
        wrap: egui::text::TextWrapping {
            max_width: key.wrap_width_px as f32,
            ..Default::default()
        },
        ..LayoutJob::default()
    };
    let mut span_cursor = 0;
    let mut mark_cursor = 0;
    for pair in cuts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        if start == end {
            continue;
        }
        while span_cursor < spans.len() && spans[span_cursor].0.end <= start {
            span_cursor += 1;
        }
        let mut format = if start < title_end {
            title.clone()
        } else {
            body.clone()
        };
        if let Some((range, item)) = spans.get(span_cursor)
            && range.start <= start
        {
            let kind = items[*item].kind;
            if Some(*item) == selected {
                format.background = theme::selection_highlight(dark);
                format.underline = Stroke::new(2.0, theme::kind_color(kind, dark));
                format.color = ui.visuals().strong_text_color();
            } else {
                format.background = theme::kind_tint(kind, dark);
            }
        }
        while mark_cursor < marks.len() && marks[mark_cursor].0.end <= start {
            mark_cursor += 1;
        }
        if let Some((range, current)) = marks.get(mark_cursor)
            && range.start <= start
        {
            if *current {
                format.background = theme::selection_highlight(dark);
                format.underline = Stroke::new(2.0, theme::warning_color(dark));
                format.color = ui.visuals().strong_text_color();
            } else {
                format.background = theme::search_highlight(dark);
            }
        }
        if key
            .text_selection
            .as_ref()
            .is_some_and(|r| r.start <= start && end <= r.end)
        {
            format.background = ui.visuals().selection.bg_fill;
        }
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range: egui::text::ByteIndex(byte_of_char[start])
                ..egui::text::ByteIndex(byte_of_char[end]),
            format,
        });
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ItemKind;

    fn item(kind: ItemKind, start: usize, end: usize) -> Item {
        Item::bare("x".into(), kind, "a.txt".into(), String::new(), start..end)
    }

    #[test]
    fn innermost_item_wins_unless_the_outer_one_is_selected() {
        // A project 0..10 holding a district 2..5.
        let (project, district) = (
            item(ItemKind::Project, 0, 10),
            item(ItemKind::District, 2, 5),
        );
        let items = [(100, &project), (101, &district)];
        let spans = tinted_spans(&items, None);
        assert_eq!(spans, [(0..2, 100), (2..5, 101), (5..10, 100)]);
        let spans = tinted_spans(&items, Some(100));
        assert_eq!(spans, [(0..10, 100)]);
    }
}
