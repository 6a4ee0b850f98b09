//! Full-text search over the articles (Ctrl+Shift+F): matches listed with their words
//! around them, grouped by document with a count each; a click opens the article at the
//! match with every match highlighted, F3/Shift+F3 step through them, and a match's
//! right-click menu adds it as an item. The search itself runs off the UI thread and
//! streams ([`crate::session::search`]).

use super::{PanelContext, add_as_buttons_ui};
use crate::search::{Query, QueryError};
use crate::session::search::{MATCH_LIMIT, SearchResults, SearchRun};
use crate::ui::command::Command;
use crate::ui::theme;

/// Characters of context shown each side of a match.
const CONTEXT_CHARS: usize = 30;

/// One line of the results list.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Row {
    /// A document's heading: the index of its group.
    Document(usize),
    Match(usize),
}

#[derive(Default)]
pub struct SearchPanel {
    query: String,
    regex: bool,
    /// What the results are for: the query, regex or not, and the workspace generation.
    searched: Option<(String, bool, u64)>,
    run: Option<SearchRun>,
    pub results: SearchResults,
    /// Why the query cannot run.
    error: Option<String>,
    /// The match shown in the source view.
    pub current: Option<usize>,
    rows: Vec<Row>,
    /// Bumped whenever the results or the current match change (the source view's
    /// highlights follow it).
    pub version: u64,
    focus_query: bool,
    scroll_to_current: bool,
}

impl SearchPanel {
    /// Puts the keyboard in the query field (Ctrl+Shift+F).
    pub fn focus(&mut self) {
        self.focus_query = true;
    }

    /// Sets the query as if typed (the source view's *Search for the selection*).
    pub fn search_for(&mut self, text: &str) {
        self.query = text.to_owned();
        self.regex = false;
        self.focus_query = true;
    }

    /// Makes match `index` the current one.
    pub fn show_match(&mut self, index: usize) {
        if index < self.results.matches.len() {
            self.current = Some(index);
            self.version += 1;
            self.scroll_to_current = true;
        }
    }

    /// The match after (or before) the current one, wrapping around; none without
    /// matches.
    pub fn step(&mut self, forward: bool) -> Option<usize> {
        let count = self.results.matches.len();
        if count == 0 {
            return None;
        }
        let next = match (self.current, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(at), true) => (at + 1) % count,
            (Some(at), false) => (at + count - 1) % count,
        };
        self.show_match(next);
        Some(next)
    }

    /// Starts a new search when the query, the mode or the folder changed, and takes
    /// what the running one has found. Runs every frame, whichever tab is shown, so F3
    /// works from anywhere.
    pub fn update(&mut self, ctx: &egui::Context, workspace: &crate::ui::workspace::Workspace) {
        let wanted = (self.query.clone(), self.regex, workspace.generation);
        if self.searched.as_ref() != Some(&wanted) {
            self.searched = Some(wanted);
            self.run = None;
            self.results = SearchResults::default();
            self.current = None;
            self.rows.clear();
            self.version += 1;
            self.error = None;
            match Query::new(&self.query, self.regex) {
                Ok(query) => {
                    let wake = {
                        let ctx = ctx.clone();
                        move || ctx.request_repaint()
                    };
                    let documents = std::sync::Arc::clone(&workspace.documents);
                    let index = std::sync::Arc::clone(&workspace.search_index);
                    match SearchRun::start(documents, index, query, wake) {
                        Ok(run) => self.run = Some(run),
                        Err(err) => self.error = Some(err.to_string()),
                    }
                }
                Err(QueryError::Empty) => {}
                Err(QueryError::BadRegex(detail)) => self.error = Some(detail),
            }
        }
        if let Some(run) = &self.run
            && self.results.receive(run)
        {
            self.version += 1;
            self.rebuild_rows();
            if self.results.done {
                self.run = None;
            }
        }
    }

    /// The rows for the groups found so far (a batch only adds at the end).
    fn rebuild_rows(&mut self) {
        self.rows.clear();
        for (group, (_, range)) in self.results.groups.iter().enumerate() {
            self.rows.push(Row::Document(group));
            self.rows.extend(range.clone().map(Row::Match));
        }
    }

    /// The matches of `document` as character ranges, and which is the current one
    /// (the source view's highlights).
    pub fn marks(&self, document: usize) -> (Vec<std::ops::Range<usize>>, Option<usize>) {
        let matches = self.results.in_document(document);
        let ranges = matches.iter().map(|m| m.chars.clone()).collect();
        let current = self.current.and_then(|current| {
            let found = self.results.matches.get(current)?;
            (found.document == document).then(|| self.results.place_in_document(current))?
        });
        (ranges, current.map(|(place, _)| place))
    }

    /// Whether a search is still running (tests).
    pub fn is_searching(&self) -> bool {
        self.run.is_some()
    }

    /// Waits for the running search to finish (tests).
    pub fn finish(&mut self) {
        if let Some(run) = self.run.take() {
            self.results.receive_all(&run);
            self.version += 1;
            self.rebuild_rows();
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let workspace = cx.workspace;
        let dark = ui.visuals().dark_mode;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(strings.search_hint);
            let field = egui::TextEdit::singleline(&mut self.query)
                .hint_text(strings.search_example)
                .desired_width(ui.available_width().clamp(160.0, 360.0));
            let response = ui.add(field).labelled_by(label.id);
            if std::mem::take(&mut self.focus_query) {
                response.request_focus();
            }
            // Enter in the field opens the first (or next) match.
            if response.lost_focus()
                && ui.input(|i| i.key_pressed(egui::Key::Enter))
                && let Some(next) = self.step(true)
            {
                cx.commands.push(Command::ShowSearchMatch(next));
            }
            ui.checkbox(&mut self.regex, strings.search_regex);
        });
        let results = &self.results;
        ui.horizontal_wrapped(|ui| {
            if let Some(error) = &self.error {
                ui.colored_label(
                    theme::error_color(dark),
                    format!("{} {error}", strings.search_bad_regex),
                );
                return;
            }
            if self
                .searched
                .as_ref()
                .is_none_or(|(q, _, _)| q.trim().is_empty())
            {
                ui.weak(strings.search_explained);
                return;
            }
            let summary = strings
                .search_summary
                .replace("{matches}", &results.matches.len().to_string())
                .replace("{documents}", &results.groups.len().to_string());
            ui.strong(summary);
            if !results.done {
                ui.spinner();
                ui.weak(
                    strings
                        .search_running
                        .replace("{searched}", &results.searched.to_string())
                        .replace("{total}", &workspace.documents.len().to_string()),
                );
            } else if results.limited {
                ui.colored_label(
                    theme::warning_color(dark),
                    strings
                        .search_limited
                        .replace("{limit}", &MATCH_LIMIT.to_string()),
                );
            }
        });
        if !results.matches.is_empty() {
            ui.add(egui::Label::new(egui::RichText::new(strings.search_steps).weak()).wrap());
        }
        ui.separator();
        let row_height = theme::ROW_HEIGHT;
        let spacing = ui.spacing().item_spacing.y;
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("search_results")
            .auto_shrink([false, false]);
        if std::mem::take(&mut self.scroll_to_current)
            && let Some(current) = self.current
            && let Some(row) = self.rows.iter().position(|r| *r == Row::Match(current))
        {
            let top = (row as f32 - 3.0).max(0.0) * (row_height + spacing);
            scroll = scroll.vertical_scroll_offset(top);
        }
        let rows = &self.rows;
        let current = self.current;
        scroll.show_rows(ui, row_height, rows.len(), |ui, range| {
            for row in &rows[range] {
                match *row {
                    Row::Document(group) => {
                        let (document, ref matches) = results.groups[group];
                        let document = &workspace.documents[document];
                        ui.horizontal(|ui| {
                            ui.set_height(row_height);
                            ui.add(
                                egui::Label::new(egui::RichText::new(document.label()).strong())
                                    .truncate()
                                    .selectable(false),
                            )
                            .on_hover_text(&document.file);
                            ui.weak(format!("({})", matches.len()));
                        });
                    }
                    Row::Match(index) => {
                        let found = &results.matches[index];
                        let text = &workspace.documents[found.document].text;
                        let response =
                            match_row_ui(ui, text, found.bytes.clone(), current == Some(index))
                                .on_hover_text(format!(
                                    "{} {}–{}",
                                    strings.characters, found.chars.start, found.chars.end
                                ));
                        if response.clicked() {
                            cx.commands.push(Command::ShowSearchMatch(index));
                        }
                        response.context_menu(|ui| {
                            let range = found.chars.clone();
                            if add_as_buttons_ui(ui, cx, found.document, range, false) {
                                ui.close();
                            }
                        });
                    }
                }
            }
        });
    }
}

/// One match in context, keyword-in-context style: the words before it right-aligned
/// up to a fixed column, the match highlighted there, the words after it following, so
/// the matches of a list line up. Clickable as a whole; named by its text.
fn match_row_ui(
    ui: &mut egui::Ui,
    text: &str,
    bytes: std::ops::Range<usize>,
    selected: bool,
) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let (before, hit, after) = crate::search::in_context(text, bytes, CONTEXT_CHARS);
    let size = egui::vec2(ui.available_width(), theme::ROW_HEIGHT);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    let label = format!("{before}{hit}{after}");
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.style().interact_selectable(&response, selected);
    if selected || response.hovered() {
        ui.painter()
            .rect_filled(rect, visuals.corner_radius, visuals.weak_bg_fill);
    }
    let font = egui::TextStyle::Body.resolve(ui.style());
    let weak = ui.visuals().weak_text_color();
    let column = rect.left() + rect.width() * 0.4;
    // The words before the match, cut from the left to fit before the column.
    let room = column - rect.left() - 4.0;
    let mut skip = 0;
    let before_galley = loop {
        let shown: String = before.chars().skip(skip).collect();
        let galley = ui.painter().layout_no_wrap(shown, font.clone(), weak);
        if galley.size().x <= room || skip >= before.chars().count() {
            break galley;
        }
        skip += 1;
    };
    let y = rect.center().y - before_galley.size().y / 2.0;
    ui.painter().galley(
        egui::pos2(column - before_galley.size().x, y),
        before_galley,
        weak,
    );
    let hit_galley =
        ui.painter()
            .layout_no_wrap(hit, font.clone(), ui.visuals().strong_text_color());
    let hit_rect = egui::Rect::from_min_size(egui::pos2(column, y), hit_galley.size());
    ui.painter()
        .rect_filled(hit_rect.expand(1.0), 2.0, theme::search_highlight(dark));
    let after_x = hit_rect.right();
    ui.painter()
        .galley(hit_rect.min, hit_galley, ui.visuals().strong_text_color());
    let after_galley = ui.painter().layout_no_wrap(after, font, weak);
    let clip = ui.painter().with_clip_rect(rect);
    clip.galley(egui::pos2(after_x, y), after_galley, weak);
    response
}
