//! The frame: the workspace layout, the folder banner, the close guard, the drop
//! overlay and the window title.

use super::*;

impl PolicyLensApp {
    /// Closing (File → Quit, the window's close button) never discards changes that
    /// could not be saved without asking.
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        let strings = self.settings.language.strings();
        if ctx.input(|i| i.viewport().close_requested())
            && !self.quit_confirmed
            && self
                .review
                .as_mut()
                .is_some_and(Review::would_lose_work_on_close)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.quit_prompt = true;
        }
        if !self.quit_prompt {
            return;
        }
        let error = self
            .review
            .as_ref()
            .and_then(|r| r.save_error.as_ref().or(r.read_only.as_ref()))
            .map(|notice| strings.store_notice(notice))
            .unwrap_or_default();
        egui::Modal::new(egui::Id::unique("quit-unsaved")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(strings.quit_unsaved_title);
            ui.add_space(6.0);
            ui.label(strings.quit_unsaved_body);
            ui.add_space(4.0);
            ui.weak(error);
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(strings.keep_open).clicked() {
                    self.quit_prompt = false;
                }
                if ui.button(strings.quit_anyway).clicked() {
                    self.quit_prompt = false;
                    self.quit_confirmed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }

    /// Keeps the workspace's manual items in step with the annotations (added, undone,
    /// corrected), and selects a just-added one.
    pub(super) fn sync_manual_items(&mut self, ctx: &egui::Context) {
        let (Some(workspace), Some(review)) = (&mut self.workspace, &mut self.review) else {
            return;
        };
        // Only annotation changes (or a new folder) can change the manual items.
        let key = (self.generation, review.generation);
        if self.manual_items_synced == Some(key) {
            return;
        }
        if let Some(attached) = workspace.sync_manual_items(&review.annotations, &review.orphans) {
            let first_manual = workspace.extracted_items;
            review.attach_manual_items(first_manual, attached);
            let count = workspace.items.len();
            self.selection.items.retain(|&i| i < count);
            if self.selection.item.is_some_and(|i| i >= count) {
                self.selection.item = None;
            }
            ctx.request_repaint();
        }
        self.manual_items_synced = Some((self.generation, review.generation));
        if let Some(id) = self.pending_manual_selection.take()
            && let Some(workspace) = &self.workspace
            && let Some(index) = workspace.items.iter().rposition(|i| i.id == id)
        {
            self.apply(
                ctx,
                Command::SelectItem {
                    item: index,
                    reveal: true,
                    extend: Extend::Replace,
                },
            );
        }
    }

    pub(super) fn workspace_ui(
        &mut self,
        ui: &mut egui::Ui,
        strings: &'static Strings,
        commands: &mut Vec<Command>,
    ) {
        let Self {
            settings,
            workspace,
            review,
            items_table,
            districts,
            charts,
            projects,
            search,
            insights,
            documents,
            source,
            inspector,
            selection,
            message,
            last_export,
            ..
        } = self;
        let (Some(workspace), Some(review)) = (workspace.as_ref(), review.as_ref()) else {
            return;
        };
        let mut cx = PanelContext {
            workspace,
            review,
            strings,
            selection,
            commands,
        };
        items_table.follow(&settings.item_filter, settings.item_sort);
        items_table.refresh_rows(&cx);
        if matches!(settings.tab, Tab::Charts | Tab::Projects) {
            insights.refresh(
                workspace,
                review,
                items_table.rows(),
                items_table.rows_version(),
            );
        }
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status_bar::status_bar_ui(
                ui,
                &mut cx,
                items_table.rows().len(),
                items_table.review_progress(),
                message.as_deref(),
                last_export.is_some(),
            );
        });
        if settings.show_documents {
            egui::Panel::left("documents_panel")
                .resizable(true)
                .default_size(280.0)
                .min_size(180.0)
                .show(ui, |ui| documents.ui(ui, &mut cx));
        }
        let source_width = (ui.available_width() * 0.38).max(300.0);
        egui::Panel::right("source_panel")
            .resizable(true)
            .default_size(source_width)
            .min_size(260.0)
            .show(ui, |ui| {
                egui::Panel::bottom("inspector_panel")
                    .resizable(true)
                    .default_size(330.0)
                    .min_size(120.0)
                    .show(ui, |ui| {
                        // Filling the panel keeps its height from following the content.
                        egui::ScrollArea::vertical()
                            .id_salt("inspector_scroll")
                            .auto_shrink([false, false])
                            .show(ui, |ui| inspector.ui(ui, &mut cx));
                    });
                ui.heading(strings.source);
                source.follow_search(search.version, cx.selection.document, |document| {
                    search.marks(document)
                });
                source.ui(ui, &mut cx);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                let items_label = format!("{} ({})", strings.tab_items, items_table.rows().len());
                if ui
                    .selectable_label(settings.tab == Tab::Items, items_label)
                    .clicked()
                {
                    cx.commands.push(Command::ShowTab(Tab::Items));
                }
                let districts_label = format!(
                    "{} ({})",
                    strings.tab_districts,
                    cx.workspace.districts.len()
                );
                if ui
                    .selectable_label(settings.tab == Tab::Districts, districts_label)
                    .clicked()
                {
                    cx.commands.push(Command::ShowTab(Tab::Districts));
                }
                let search_label = if search.results.matches.is_empty() {
                    strings.tab_search.to_owned()
                } else {
                    format!("{} ({})", strings.tab_search, search.results.matches.len())
                };
                for (tab, label) in [
                    (Tab::Charts, strings.tab_charts.to_owned()),
                    (Tab::Projects, strings.tab_projects.to_owned()),
                    (Tab::Search, search_label),
                ] {
                    if ui.selectable_label(settings.tab == tab, label).clicked() {
                        cx.commands.push(Command::ShowTab(tab));
                    }
                }
            });
            ui.separator();
            match settings.tab {
                Tab::Items => items_table.ui(
                    ui,
                    &mut cx,
                    &settings.item_filter,
                    settings.item_sort,
                    &settings.hidden_item_columns,
                ),
                Tab::Districts => {
                    let current = settings.item_filter.district.clone();
                    districts.ui(ui, &mut cx, current.as_deref(), settings.names_by_pinyin);
                }
                Tab::Charts => charts.ui(ui, &mut cx, insights),
                Tab::Projects => projects.ui(ui, &mut cx, insights),
                Tab::Search => search.ui(ui, &mut cx),
            }
        });
    }

    /// While files are dragged over the window, say what dropping them does.
    pub(super) fn drop_overlay(&self, ctx: &egui::Context, strings: &Strings) {
        if ctx.input(|i| i.raw.hovered_files.is_empty()) {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop_overlay"),
        ));
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            strings.drop_hint,
            egui::FontId::proportional(20.0),
            egui::Color32::WHITE,
        );
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.workspace {
            Some(workspace) => format!("PolicyLens — {}", workspace.folder.display()),
            None => "PolicyLens".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// The banner about the folder changing on disk or disappearing.
    pub(super) fn folder_notice_ui(
        &mut self,
        ui: &mut egui::Ui,
        strings: &Strings,
        commands: &mut Vec<Command>,
    ) {
        let Some(notice) = &self.folder_notice else {
            return;
        };
        let mut dismissed = false;
        egui::Panel::top("folder_notice").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let dark = ui.visuals().dark_mode;
                match notice {
                    FolderNotice::Changed { changes, orphans } => {
                        ui.label(strings.changed_on_disk);
                        for (files, label) in [
                            (&changes.added, strings.files_added),
                            (&changes.changed, strings.files_changed),
                            (&changes.removed, strings.files_removed),
                        ] {
                            if !files.is_empty() {
                                ui.strong(format!("{} {label}", files.len()))
                                    .on_hover_text(files.join("\n"));
                            }
                        }
                        ui.label(strings.re_extracted);
                        if *orphans > 0 {
                            let text = format!("{orphans} {}", strings.orphaned_after_change);
                            if ui
                                .link(egui::RichText::new(text).color(theme::warning_color(dark)))
                                .clicked()
                            {
                                commands.push(Command::ShowOrphans);
                            }
                        }
                    }
                    FolderNotice::Gone { rescued } => {
                        let color = theme::error_color(dark);
                        ui.label(egui::RichText::new(strings.folder_gone).color(color));
                        match rescued {
                            Ok(path) => {
                                ui.label(strings.annotations_rescued);
                                ui.strong(path.display().to_string());
                            }
                            Err(err) => {
                                ui.label(
                                    egui::RichText::new(strings.annotations_not_rescued)
                                        .color(color),
                                );
                                ui.label(err);
                            }
                        }
                    }
                    FolderNotice::NotWatching(reason) => {
                        ui.label(strings.not_watching).on_hover_text(reason);
                    }
                    FolderNotice::Lexicon(change) => {
                        ui.label(strings.lexicon_applied);
                        ui.strong(strings.lexicon_change(change))
                            .on_hover_text(change.files.join("\n"));
                    }
                }
                if !matches!(notice, FolderNotice::Gone { .. })
                    && ui.small_button(strings.dismiss).clicked()
                {
                    dismissed = true;
                }
            });
        });
        if dismissed {
            self.folder_notice = None;
        }
    }
}
