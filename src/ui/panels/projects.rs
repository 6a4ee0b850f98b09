//! Projects tracked across articles: one row per project group (first and last mention,
//! articles, how the stated investment and the stage changed), its timeline below, and
//! merging or splitting groups by hand. Follows the items table's filters.

use std::collections::BTreeSet;

use egui::Sense;
use egui_extras::{Column, TableBuilder};

use super::districts::format_yi;
use super::{PanelContext, cell, number};
use crate::insight::projects::{ProjectGroup, ProjectMention, split_key};
use crate::session::workspace::Workspace;
use crate::ui::command::{Command, ExportWhat, Extend};
use crate::ui::i18n::Strings;
use crate::ui::insights::Insights;
use crate::ui::theme;

#[derive(Default)]
pub struct ProjectsPanel {
    /// Keys of the groups selected for merging; the focused one included.
    pub selected: BTreeSet<String>,
    /// The group whose timeline is shown.
    pub focused: Option<String>,
}

impl ProjectsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, insights: &Insights) {
        let strings = cx.strings;
        let groups = &insights.groups;
        self.selected
            .retain(|key| groups.iter().any(|g| g.key == *key));
        ui.horizontal_wrapped(|ui| {
            ui.weak(strings.projects_hint);
            let merge = ui
                .add_enabled(
                    self.selected.len() >= 2,
                    egui::Button::new(format!(
                        "{} ({})",
                        strings.merge_groups,
                        self.selected.len()
                    )),
                )
                .on_hover_text(strings.merge_groups_tip)
                .on_disabled_hover_text(strings.merge_groups_tip);
            if merge.clicked() {
                self.merge(groups, cx);
            }
            if ui.button(strings.export_projects).clicked() {
                cx.commands
                    .push(Command::PickExportPath(ExportWhat::Projects));
            }
        });
        ui.add_space(theme::GAP / 2.0);
        if groups.is_empty() {
            ui.add_space(theme::GAP * 2.0);
            ui.vertical_centered(|ui| ui.weak(strings.no_projects));
            return;
        }
        let focused = self
            .focused
            .as_ref()
            .and_then(|key| groups.iter().find(|g| g.key == *key));
        egui::Panel::bottom("project_timeline")
            .resizable(true)
            .default_size(ui.available_height() * 0.4)
            .min_size(100.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("project_timeline_scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| match focused {
                        Some(group) => timeline_ui(ui, cx, group),
                        None => {
                            ui.add_space(theme::GAP);
                            ui.weak(strings.select_project);
                        }
                    });
            });
        egui::ScrollArea::horizontal()
            .id_salt("projects_table_hscroll")
            .show(ui, |ui| self.table_ui(ui, cx, groups));
    }

    /// Puts every mention of the selected groups into the first (largest) one.
    fn merge(&mut self, groups: &[ProjectGroup], cx: &mut PanelContext<'_>) {
        let mut chosen = groups.iter().filter(|g| self.selected.contains(&g.key));
        let Some(target) = chosen.next() else {
            return;
        };
        let items: Vec<usize> = chosen
            .flat_map(|g| g.mentions.iter().map(|m| m.item))
            .collect();
        cx.commands.push(Command::SetProjectGroup {
            items,
            group: Some(target.key.clone()),
        });
        self.focused = Some(target.key.clone());
        self.selected = BTreeSet::from([target.key.clone()]);
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, groups: &[ProjectGroup]) {
        let strings = cx.strings;
        let mut clicked: Option<(String, bool)> = None;
        TableBuilder::new(ui)
            .id_salt("projects_table")
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(200.0).at_least(80.0).clip(true))
            .column(Column::initial(90.0).at_least(50.0).clip(true))
            .column(Column::initial(60.0).at_least(40.0).clip(true))
            .column(Column::initial(50.0).at_least(40.0).clip(true))
            .column(Column::initial(90.0).at_least(60.0).clip(true))
            .column(Column::initial(90.0).at_least(60.0).clip(true))
            .column(Column::initial(90.0).at_least(60.0).clip(true))
            .column(Column::initial(150.0).at_least(60.0).clip(true))
            .column(Column::remainder().at_least(80.0).clip(true))
            .header(theme::HEADER_HEIGHT, |mut header| {
                for title in [
                    strings.col_project,
                    strings.col_district,
                    strings.col_mentions,
                    strings.col_documents,
                    strings.col_first_mention,
                    strings.col_last_mention,
                    strings.col_investment,
                    strings.col_history,
                    strings.col_stages,
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, groups.len(), |mut row| {
                    let group = &groups[row.index()];
                    row.set_selected(self.selected.contains(&group.key));
                    row.col(|ui| {
                        let mut name = egui::RichText::new(&group.name).strong();
                        if group.edited {
                            name = name.italics();
                        }
                        ui.add(egui::Label::new(name).truncate().selectable(false));
                    });
                    row.col(|ui| cell(ui, group.district.as_deref().unwrap_or("")));
                    row.col(|ui| number(ui, group.mentions.len().to_string()));
                    row.col(|ui| number(ui, group.documents().len().to_string()));
                    row.col(|ui| cell(ui, &when(group.first(), cx.workspace, strings)));
                    row.col(|ui| cell(ui, &when(group.last(), cx.workspace, strings)));
                    row.col(|ui| {
                        let text = group
                            .investment_yuan()
                            .map(|yuan| format_yi(yuan / 1e8))
                            .unwrap_or_default();
                        number(ui, text);
                    });
                    row.col(|ui| cell(ui, &group.investment_history().join(" → ")));
                    row.col(|ui| {
                        let stages: Vec<&str> =
                            group.stage_history().iter().map(|s| s.label()).collect();
                        cell(ui, &stages.join(" → "));
                    });
                    let response = row.response();
                    if response.clicked() {
                        let toggle = response
                            .ctx
                            .input(|i| i.modifiers.command || i.modifiers.shift);
                        clicked = Some((group.key.clone(), toggle));
                    }
                });
            });
        if let Some((key, toggle)) = clicked {
            if toggle {
                if !self.selected.remove(&key) {
                    self.selected.insert(key.clone());
                }
            } else {
                self.selected = BTreeSet::from([key.clone()]);
            }
            self.focused = Some(key);
        }
    }
}

/// The article date of a mention, or its document's title when the article gives no
/// date.
fn when(mention: &ProjectMention, workspace: &Workspace, strings: &Strings) -> String {
    match &mention.article_date {
        Some(date) => strings.date(date).into_owned(),
        None => workspace.document_label(&mention.file).to_owned(),
    }
}

fn timeline_ui(ui: &mut egui::Ui, cx: &mut PanelContext<'_>, group: &ProjectGroup) {
    let strings = cx.strings;
    ui.horizontal_wrapped(|ui| {
        ui.heading(&group.name);
        if let Some(district) = &group.district {
            ui.label(district);
        }
        if group.edited {
            ui.weak(strings.grouped_by_hand);
            if ui.button(strings.automatic_grouping).clicked() {
                cx.commands.push(Command::SetProjectGroup {
                    items: group.mentions.iter().map(|m| m.item).collect(),
                    group: None,
                });
            }
        }
    });
    ui.label(egui::RichText::new(strings.timeline).small().weak());
    egui::Grid::new(("timeline", &group.key))
        .striped(true)
        .num_columns(6)
        .spacing([theme::GAP * 1.5, 4.0])
        .show(ui, |ui| {
            for title in [
                strings.col_date,
                strings.col_document,
                strings.col_text,
                strings.col_amount,
                strings.col_stages,
                "",
            ] {
                ui.strong(title);
            }
            ui.end_row();
            for mention in &group.mentions {
                ui.label(
                    mention
                        .article_date
                        .as_deref()
                        .map_or(strings.date_unknown.into(), |d| strings.date(d)),
                );
                let document = ui
                    .add(
                        egui::Label::new(cx.workspace.document_label(&mention.file))
                            .sense(Sense::click()),
                    )
                    .on_hover_text(&mention.file);
                let wording = ui.add(egui::Label::new(&mention.text).sense(Sense::click()));
                if document.clicked() || wording.clicked() {
                    cx.commands.push(Command::SelectItem {
                        item: mention.item,
                        reveal: false,
                        extend: Extend::Replace,
                    });
                }
                ui.label(mention.investment.as_deref().unwrap_or(""));
                ui.label(mention.stages.labels());
                if group.mentions.len() > 1 && ui.small_button(strings.split_out).clicked() {
                    let id = cx
                        .review
                        .attached_id(mention.item)
                        .map(str::to_owned)
                        .unwrap_or_else(|| cx.workspace.items[mention.item].id.clone());
                    cx.commands.push(Command::SetProjectGroup {
                        items: vec![mention.item],
                        group: Some(split_key(&id)),
                    });
                }
                ui.end_row();
            }
        });
}
