//! Carrying out commands: the one place that changes app state after a frame.

use super::*;

impl PolicyLensApp {
    /// Carries out one command.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::PickFolder => self.ask_for_path(ctx, ChooserPurpose::OpenFolder),
            Command::Open(source) => {
                if let Some(job) = &self.load {
                    job.cancel();
                }
                let wake = repaint_waker(ctx);
                match LoadJob::spawn(source, self.user_lexicon.clone(), wake) {
                    Ok(job) => self.load = Some(job),
                    Err(err) => {
                        let strings = self.settings.language.strings();
                        self.message = Some(format!("{}: {err}", strings.could_not_start_loading));
                    }
                }
            }
            Command::OpenSample => match self.sample_folder.clone() {
                Some(folder) => self.apply(ctx, Command::Open(Source::Folder(folder))),
                None => {
                    self.message = Some(format!(
                        "{}: sample_data",
                        self.settings.language.strings().could_not_open
                    ));
                }
            },
            Command::CancelLoad => {
                if let Some(job) = &self.load {
                    job.cancel();
                }
            }
            Command::CloseFolder => self.forget_folder(),
            Command::SelectItem {
                item,
                reveal,
                extend,
            } => {
                self.rows_have_keys = true;
                let Some(workspace) = &self.workspace else {
                    return;
                };
                if item >= workspace.items.len() {
                    return;
                }
                match extend {
                    Extend::Replace => self.selection.items = [item].into(),
                    Extend::Toggle => {
                        if !self.selection.items.remove(&item) {
                            self.selection.items.insert(item);
                        }
                    }
                    Extend::Range => {
                        let rows = self.items_table.rows();
                        let position =
                            |target: usize| rows.iter().position(|&r| r as usize == target);
                        let anchor = self.selection.item.and_then(position);
                        match (anchor, position(item)) {
                            (Some(a), Some(b)) => {
                                let (from, to) = (a.min(b), a.max(b));
                                self.selection.items =
                                    rows[from..=to].iter().map(|&r| r as usize).collect();
                            }
                            _ => self.selection.items = [item].into(),
                        }
                    }
                }
                if extend != Extend::Range {
                    self.selection.item = Some(item);
                }
                if self.selection.items.is_empty() {
                    self.selection.item = None;
                }
                self.selection.document = Some(workspace.document_of_item[item] as usize);
                if let Some(review) = &mut self.review {
                    review.end_typing();
                }
                if reveal {
                    self.items_table.reveal_selection();
                }
            }
            Command::SelectDocument(index) => {
                let Some(workspace) = &self.workspace else {
                    return;
                };
                if let Some(document) = workspace.documents.get(index) {
                    self.selection.document = Some(index);
                    self.selection.item = None;
                    self.selection.items.clear();
                    self.settings.item_filter.document = Some(document.file.clone());
                }
            }
            Command::FilterDistrict(district) => self.settings.item_filter.district = district,
            Command::FilterDocument(document) => self.settings.item_filter.document = document,
            Command::FilterMonth(month) => self.settings.item_filter.month = month,
            Command::SetItemFilter(filter) => self.settings.item_filter = filter,
            Command::ToggleItemColumn(column) => {
                let hidden = &mut self.settings.hidden_item_columns;
                if !hidden.remove(&column) {
                    hidden.insert(column);
                }
            }
            Command::SortItems(column) => {
                self.settings.item_sort =
                    Some(crate::table::Sort::clicked(self.settings.item_sort, column));
            }
            Command::ShowTab(tab) => self.settings.tab = tab,
            Command::SearchFor(text) => {
                self.settings.tab = Tab::Search;
                self.search.search_for(&text);
            }
            Command::OpenDocumentFolder(index) => {
                let folder = (self.workspace.as_ref())
                    .and_then(|w| w.documents.get(index))
                    .and_then(|d| d.path.parent().map(Path::to_path_buf));
                if let Some(folder) = folder {
                    self.message = Some(folder.display().to_string());
                    open_in_file_manager(&folder);
                }
            }
            Command::ShowSearch => {
                self.settings.tab = Tab::Search;
                self.search.focus();
            }
            Command::StepSearchMatch { forward } => {
                if let Some(index) = self.search.step(forward) {
                    self.show_search_match(index);
                }
            }
            Command::ShowSearchMatch(index) => {
                self.search.show_match(index);
                self.show_search_match(index);
            }
            Command::SetLanguage(language) => self.settings.language = language,
            Command::SetDarkMode(dark) => self.settings.dark_mode = dark,
            Command::ToggleDocuments => {
                self.settings.show_documents = !self.settings.show_documents;
            }
            Command::Zoom(step) => {
                let zoom = match step {
                    ZoomStep::In => (ctx.zoom_factor() + 0.1).min(3.0),
                    ZoomStep::Out => (ctx.zoom_factor() - 0.1).max(0.5),
                    ZoomStep::Reset => 1.0,
                };
                ctx.set_zoom_factor(zoom);
            }
            Command::ShowKeyboardShortcuts => self.show_shortcuts = true,
            Command::ShowAbout => self.show_about = true,
            Command::SortNamesByPinyin(on) => self.settings.names_by_pinyin = on,
            Command::Quit => {
                if !self.quit_confirmed
                    && self
                        .review
                        .as_mut()
                        .is_some_and(Review::would_lose_work_on_close)
                {
                    self.quit_prompt = true;
                } else {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Command::Export {
                what: ExportWhat::ChartPng,
                path,
            } => self.save_chart_png(ctx, path),
            Command::NeverExtract { kind, text } => {
                self.change_lexicon(ctx, crate::lexicon::Entry::never(kind, &text));
            }
            Command::AlwaysExtract {
                kind,
                text,
                district,
            } => {
                let entry = crate::lexicon::Entry::always(kind, &text, district.as_deref());
                self.change_lexicon(ctx, entry);
            }
            Command::Undo if self.lexicon_change_is_last() => {
                if let Some((at, path, before)) = self.lexicon_undo.pop() {
                    let (after, _) = crate::lexicon::Lexicon::read(&path).unwrap_or_default();
                    self.lexicon_redo.push((at, path.clone(), after));
                    self.restore_lexicon(ctx, &path, &before, false);
                }
            }
            Command::Redo if self.lexicon_change_is_next() => {
                if let Some((at, path, after)) = self.lexicon_redo.pop() {
                    let (before, _) = crate::lexicon::Lexicon::read(&path).unwrap_or_default();
                    self.lexicon_undo.push((at, path.clone(), before));
                    self.restore_lexicon(ctx, &path, &after, true);
                }
            }
            Command::ShowLexicon => {
                if let Some(workspace) = &self.workspace {
                    let read = |path: std::path::PathBuf| {
                        let (lexicon, _) = crate::lexicon::Lexicon::read(&path).unwrap_or_default();
                        (path, lexicon)
                    };
                    self.lexicon_window.open(
                        read(crate::lexicon::folder_lexicon_path(&workspace.folder)),
                        self.user_lexicon.clone().map(read),
                    );
                }
            }
            Command::SetLexicon { path, lexicon } => {
                self.set_lexicon(ctx, &path, lexicon);
            }
            Command::PickLexiconImport(kind) => {
                self.ask_for_path(ctx, ChooserPurpose::ImportList(kind));
            }
            Command::PickTagImport => self.ask_for_path(ctx, ChooserPurpose::ImportTags),
            Command::ImportTags(path) => {
                let strings = self.settings.language.strings();
                let Some(review) = &mut self.review else {
                    return;
                };
                self.message = Some(match crate::export::qdpx::read_codebook(&path) {
                    Ok(codes) => {
                        let (tags, added) =
                            crate::export::qdpx::merged_tags(&review.annotations.tags, &codes);
                        if added > 0 {
                            review.set_tags(tags);
                        }
                        strings
                            .tags_imported
                            .replace("{added}", &added.to_string())
                            .replace("{read}", &codes.len().to_string())
                            .replace("{path}", &path.display().to_string())
                    }
                    Err(err) => format!("{}: {err}", strings.tags_not_imported),
                });
            }
            Command::ImportLexiconList { kind, path } => {
                let strings = self.settings.language.strings();
                match crate::lexicon::import_list(&path, kind) {
                    Ok(entries) => {
                        let read = entries.len();
                        let added = self.lexicon_window.add(entries);
                        self.message = Some(
                            strings
                                .list_imported
                                .replace("{read}", &read.to_string())
                                .replace("{added}", &added.to_string())
                                .replace("{path}", &path.display().to_string()),
                        );
                    }
                    Err(err) => {
                        self.message = Some(format!("{}: {err}", strings.list_not_imported));
                    }
                }
            }
            command => self.apply_review(ctx, command),
        }
    }

    /// Asks for a screenshot of the next frame and writes the chart's part of it to
    /// `path` as PNG (on the thread that delivers the screenshot).
    pub(super) fn save_chart_png(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(rect) = self.charts.chart_rect else {
            return;
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        self.chart_png = Some(receiver);
        let pixels_per_point = ctx.pixels_per_point();
        let wake = ctx.clone();
        ctx.request_screenshot(move |image| {
            let chart = image.region(&rect, Some(pixels_per_point));
            let result = crate::ui::export::write_png(&chart, &path)
                .map(|()| path)
                .map_err(|err| crate::error::chain_message(err.as_ref()));
            let _ = sender.send(result);
            wake.request_repaint();
        });
        ctx.request_repaint();
    }

    /// Asks the system's file dialog for a path for `purpose` (one dialog at a time);
    /// the answer is taken up in [`PolicyLensApp::poll_jobs`].
    fn ask_for_path(&mut self, ctx: &egui::Context, purpose: ChooserPurpose) {
        if self.file_dialog.is_some() {
            return;
        }
        if let Some(answers) = &mut self.scripted_dialog_answers {
            let answer = answers.pop_front().unwrap_or(DialogAnswer::Cancelled);
            self.file_dialog = Some((purpose, Dialog::answered(answer)));
            return;
        }
        let strings = self.settings.language.strings();
        let start_in = self.start_folder(purpose);
        let wake = repaint_waker(ctx);
        let dialog = match purpose {
            ChooserPurpose::OpenFolder => Dialog::pick_folder(strings.open_folder, start_in, wake),
            ChooserPurpose::Export(what) => {
                Dialog::save_export(strings.exported, what.suggested_file_name(), start_in, wake)
            }
            ChooserPurpose::ImportList(_) => Dialog::pick_file(
                strings.lexicon_title,
                ("CSV, TSV, Excel", &["csv", "tsv", "xlsx", "xls"]),
                start_in,
                wake,
            ),
            ChooserPurpose::ImportTags => Dialog::pick_file(
                strings.import_tags,
                ("REFI-QDA", &["qdpx", "qdc"]),
                start_in,
                wake,
            ),
        };
        match dialog {
            Ok(dialog) => self.file_dialog = Some((purpose, dialog)),
            Err(err) => self.message = Some(format!("{}: {err}", strings.dialog_failed)),
        }
    }

    /// Where a file dialog or the app's own chooser starts for `purpose`: the last
    /// folder opened, the folder of the last export (else the open folder), or the
    /// open folder.
    pub(super) fn start_folder(&self, purpose: ChooserPurpose) -> Option<PathBuf> {
        let open_folder = || self.workspace.as_ref().map(|w| w.folder.clone());
        match purpose {
            ChooserPurpose::OpenFolder => self.settings.last_folder.clone(),
            ChooserPurpose::ImportList(_) | ChooserPurpose::ImportTags => open_folder(),
            ChooserPurpose::Export(_) => self
                .last_export
                .as_ref()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .or_else(open_folder),
        }
    }

    /// Whether the newest undoable step is a lexicon entry (not an annotation edit).
    /// Opens the article of search match `index`: the source view shows it there, with
    /// every match highlighted.
    fn show_search_match(&mut self, index: usize) {
        let Some(found) = self.search.results.matches.get(index) else {
            return;
        };
        self.selection.document = Some(found.document);
        self.selection.item = None;
        self.selection.items.clear();
    }

    fn lexicon_change_is_last(&self) -> bool {
        let depth = self.review.as_ref().map_or(0, Review::undo_depth);
        self.lexicon_undo
            .last()
            .is_some_and(|(at, _, _)| *at == depth)
    }

    /// Whether Redo should make a lexicon change again rather than an annotation edit.
    fn lexicon_change_is_next(&self) -> bool {
        let depth = self.review.as_ref().map_or(0, Review::undo_depth);
        self.lexicon_redo
            .last()
            .is_some_and(|(at, _, _)| *at == depth)
    }

    /// Adds `entry` to the folder's lexicon file and applies the lexicons again in the
    /// background; says what it changes. Undo takes it back.
    fn change_lexicon(&mut self, ctx: &egui::Context, entry: crate::lexicon::Entry) {
        let Some(workspace) = &self.workspace else {
            return;
        };
        let strings = self.settings.language.strings();
        let path = crate::lexicon::folder_lexicon_path(&workspace.folder);
        let (mut lexicon, _) = crate::lexicon::Lexicon::read(&path).unwrap_or_default();
        lexicon.insert(entry.clone());
        // What it changed is said by the banner once the background pass is done.
        let said = match entry.action {
            crate::lexicon::Action::Never => strings.never_extract_done,
            crate::lexicon::Action::Always => strings.always_extract_done,
        }
        .replace("{text}", &entry.text)
        .replace("{kind}", strings.kind(entry.kind));
        if self.set_lexicon(ctx, &path, lexicon) {
            self.message = Some(said);
        }
    }

    /// Makes `lexicon` the one at `path` (the folder's or the user's; the file written,
    /// the undo step kept) and applies the lexicons again in the background. Whether it
    /// could be written.
    fn set_lexicon(
        &mut self,
        ctx: &egui::Context,
        path: &Path,
        lexicon: crate::lexicon::Lexicon,
    ) -> bool {
        let strings = self.settings.language.strings();
        let (before, _) = crate::lexicon::Lexicon::read(path).unwrap_or_default();
        if before == lexicon {
            return true;
        }
        if let Err(err) = lexicon.write(path) {
            self.message = Some(format!(
                "{}: {err}: {}",
                strings.lexicon_not_saved,
                path.display()
            ));
            return false;
        }
        let depth = self.review.as_ref().map_or(0, Review::undo_depth);
        self.lexicon_undo.push((depth, path.to_path_buf(), before));
        self.lexicon_redo.clear();
        self.message = Some(strings.lexicon_saved.to_owned());
        self.reapply_lexicon(ctx);
        true
    }

    /// Undoes or redoes a lexicon change: `lexicon` written to `path` and applied.
    fn restore_lexicon(
        &mut self,
        ctx: &egui::Context,
        path: &Path,
        lexicon: &crate::lexicon::Lexicon,
        redo: bool,
    ) {
        let strings = self.settings.language.strings();
        self.message = Some(match lexicon.write(path) {
            Ok(()) if redo => strings.lexicon_change_redone.to_owned(),
            Ok(()) => strings.lexicon_change_undone.to_owned(),
            Err(err) => format!("{}: {err}: {}", strings.lexicon_not_saved, path.display()),
        });
        self.reapply_lexicon(ctx);
    }

    /// Reads the lexicons again and applies them to the open folder in the background.
    fn reapply_lexicon(&mut self, ctx: &egui::Context) {
        let (Some(workspace), Some(watch)) = (&self.workspace, &mut self.folder_watch) else {
            return;
        };
        let (lexicon, _) =
            crate::lexicon::for_folder(Some(&workspace.folder), self.user_lexicon.as_deref(), &[]);
        self.lexicon = std::sync::Arc::new(lexicon);
        let lexicon = std::sync::Arc::clone(&self.lexicon);
        watch.apply_lexicon(workspace, lexicon, repaint_waker(ctx));
    }

    /// Carries out a command on the annotations.
    pub(super) fn apply_review(&mut self, ctx: &egui::Context, command: Command) {
        let (Some(workspace), Some(review)) = (&self.workspace, &mut self.review) else {
            return;
        };
        let items = &workspace.items;
        let strings = self.settings.language.strings();
        // A new annotation edit ends what Redo could make again, lexicon changes too.
        let depth_before = review.undo_depth();
        let is_redo = matches!(command, Command::Redo);
        match command {
            Command::Judge {
                items: judged,
                accept,
            } => {
                review.judge(&judged, items, accept);
            }
            Command::RejectEvery { kind, text } => {
                let matching: Vec<usize> = items
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.kind == kind && crate::lexicon::same_text(&i.text, &text))
                    .map(|(index, _)| index)
                    .collect();
                let files: BTreeSet<&str> =
                    matching.iter().map(|&i| items[i].file.as_str()).collect();
                let changed = review.set_rejected(&matching, items, true);
                self.message = Some(
                    strings
                        .reject_every_done
                        .replace("{text}", &text)
                        .replace("{items}", &changed.to_string())
                        .replace("{files}", &files.len().to_string()),
                );
            }
            Command::ToggleTag(tag) => {
                let selected: Vec<usize> = self.selection.items.iter().copied().collect();
                if !selected.is_empty() {
                    let added = review.toggle_tag(&selected, items, tag);
                    // Every tag change is said, so a stray key press cannot pass unseen.
                    let name = review
                        .annotations
                        .tags
                        .iter()
                        .find(|t| t.id == tag)
                        .map_or_else(String::new, |t| t.name.clone());
                    let verb = if added {
                        strings.tagged_items
                    } else {
                        strings.untagged_items
                    };
                    self.message = Some(
                        verb.replace("{n}", &selected.len().to_string())
                            .replace("{tag}", &name),
                    );
                }
            }
            Command::TypeNote { item, text } => review.type_note(item, items, &text),
            Command::EndTyping => review.end_typing(),
            Command::SetRejected { item, rejected } => {
                review.edit_item(item, items, |note| note.rejected = rejected);
            }
            Command::CorrectDistrict { item, district } => {
                review.edit_item(item, items, |note| note.district = district);
            }
            Command::SetProjectGroup {
                items: chosen,
                group,
            } => {
                review.set_project_group(&chosen, items, group);
            }
            Command::CorrectKind { item, kind } => {
                let kind = kind.filter(|k| *k != items[item].kind);
                review.edit_item(item, items, |note| note.kind = kind);
            }
            Command::CorrectAmount { item, amount_yuan } => {
                review.edit_item(item, items, |note| note.amount_yuan = amount_yuan);
            }
            Command::DocumentNote { file, text } => review.set_document_note(&file, &text),
            Command::AddManualItem {
                document,
                start,
                end,
                kind,
            } => {
                let Some(doc) = workspace.documents.get(document) else {
                    return;
                };
                let text: String = doc.text.chars().skip(start).take(end - start).collect();
                if text.trim().is_empty() {
                    return;
                }
                let id = review.add_manual_item(crate::annotate::Anchor {
                    file: doc.file.clone(),
                    kind,
                    text,
                    start,
                    end,
                });
                self.pending_manual_selection = Some(id);
            }
            Command::SetTags(tags) => review.set_tags(tags),
            Command::Undo => {
                review.undo();
            }
            Command::Redo => {
                review.redo();
            }
            Command::RestoreBackup => {
                if let Err(notice) = review.restore_backup(items) {
                    let strings = self.settings.language.strings();
                    self.message = Some(strings.store_notice(&notice));
                }
            }
            Command::ShowTagManager => self.tag_manager.open(&review.annotations.tags),
            Command::ShowOrphans => self.orphans.open = true,
            Command::FindInItems => {
                self.settings.tab = Tab::Items;
                self.items_table.focus_filter();
            }
            Command::PickExportPath(what) => self.ask_for_path(ctx, ChooserPurpose::Export(what)),
            Command::Export { what, path } => {
                let rows: Vec<usize> = match what {
                    ExportWhat::ShownItems => self
                        .items_table
                        .rows()
                        .iter()
                        .map(|&r| r as usize)
                        .collect(),
                    _ => (0..items.len()).collect(),
                };
                let groups = &self.insights.groups;
                match crate::ui::export::write(workspace, review, what, &rows, groups, &path) {
                    Ok(count) => {
                        self.message =
                            Some(format!("{} {count} → {}", strings.exported, path.display()));
                        self.last_export = Some(path);
                    }
                    Err(err) => self.message = Some(crate::error::chain_message(err.as_ref())),
                }
            }
            Command::OpenExportFolder => {
                if let Some(folder) = self.last_export.as_ref().and_then(|p| p.parent()) {
                    open_in_file_manager(folder);
                }
            }
            _ => {}
        }
        let deeper = (self.review.as_ref()).is_some_and(|r| r.undo_depth() > depth_before);
        if !is_redo && deeper {
            self.lexicon_redo.clear();
        }
    }
}
