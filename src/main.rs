//! The `policylens` command: `extract`, `export`, `lexicon import`, `train`, `evaluate`
//! and `bench` over the core library; with no
//! subcommand it opens the desktop app (on FOLDER when given).

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use policylens::LoadOptions;
use policylens::export::{self, Format};
use policylens::pipeline::{Progress, extract_folder};

#[derive(Parser)]
#[command(
    name = "policylens",
    version,
    about = "Districts, officials, projects, amounts and dates from Chinese local-government news"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Folder of articles to open in the app.
    folder: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Extract items from every article in FOLDER.
    Extract {
        /// The folder of articles; not with --stdin.
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        folder: Option<PathBuf>,
        /// Read articles as JSON Lines from standard input (`{"id": …, "text": …}`, with
        /// optional `title`, `date`, `file`) and write one JSON line per item with the
        /// input's id as `record`, in input order, in bounded memory; a bad line gives
        /// an error line naming its number and the stream goes on.
        #[arg(long)]
        stdin: bool,
        /// With --stdin: say on standard error how many records, items and bad lines
        /// there were, and the peak memory.
        #[arg(long, requires = "stdin")]
        summary: bool,
        #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
        format: OutputFormat,
        /// Write here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Largest file to read, in megabytes.
        #[arg(long, default_value_t = 20)]
        max_file_mb: u64,
        /// Read and write the folder's extraction cache as the app does (fast re-runs).
        #[arg(long)]
        use_cache: bool,
        /// A lexicon (TSV: kind, text, action, district, note) to apply on top of the
        /// folder's own `.policylens/lexicon.tsv`; repeatable.
        #[arg(long = "lexicon")]
        lexicons: Vec<PathBuf>,
    },
    /// Export the analyst's notes on FOLDER (saved annotations) to CSV or XLSX.
    Export {
        folder: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// CSV or XLSX; by default what the file name ends in (`.csv`, `.xlsx`).
        #[arg(long, value_enum)]
        format: Option<NotesFormat>,
        /// Only items carrying this tag (by name, or the part before a space: `重点`);
        /// repeat for any of several.
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Also rejected items (left out by default, as in the app).
        #[arg(long)]
        with_rejected: bool,
        /// Write the district overview instead of the items (with CSV; an XLSX of the
        /// items has both sheets).
        #[arg(long, conflicts_with = "projects")]
        districts: bool,
        /// Write the project groups (one row per project across articles, with the
        /// analyst's merges and splits) instead of the items.
        #[arg(long)]
        projects: bool,
    },
    /// Train the scorer on gold annotations and write its weights
    /// (`policylens train --gold ../shared/gold/dev --articles ../shared/dev --gold
    /// ../shared/gold/seeds --articles sample_data -o assets/scorer.tsv`).
    Train {
        /// A folder of gold JSON files; pairs with the --articles at the same position.
        #[arg(long = "gold", required = true)]
        gold: Vec<PathBuf>,
        /// The folder of the articles the gold describes.
        #[arg(long = "articles", required = true)]
        articles: Vec<PathBuf>,
        #[arg(short, long, default_value = "assets/scorer.tsv")]
        output: PathBuf,
        /// L2 regularisation strength.
        #[arg(long, default_value_t = 0.3)]
        l2: f64,
    },
    /// Score extraction against gold annotations: P/R/F1 per source group and kind, the
    /// reliability of the confidence, and leave-one-source-out figures.
    Evaluate {
        #[arg(long = "gold", required = true)]
        gold: Vec<PathBuf>,
        #[arg(long = "articles", required = true)]
        articles: Vec<PathBuf>,
        /// Also retrain the scorer on all groups but one and score that one, for each.
        #[arg(long)]
        loso: bool,
        /// L2 regularisation strength of the leave-one-source-out training.
        #[arg(long, default_value_t = 0.3)]
        l2: f64,
    },
    /// Measure extraction speed and memory over FOLDER (use a release build).
    Bench {
        folder: PathBuf,
        /// Timed runs after one warm-up run (at least one).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
        runs: u64,
        /// Use the folder's extraction cache as the app does: the warm-up run fills it
        /// and the timed runs measure re-opening an unchanged folder.
        #[arg(long)]
        cache: bool,
        /// Also time applying this lexicon to the extraction (its own pass, reported
        /// beside the extraction time).
        #[arg(long)]
        lexicon: Option<PathBuf>,
        /// Also time a full-text search for this query (repeatable): until the first
        /// matches, until all of them, and the memory of the search's folded copies.
        #[arg(long = "search")]
        searches: Vec<String>,
    },
    /// Search the text of every article in FOLDER: one line per match with the document,
    /// its character offsets and the sentence around it. Case- and width-insensitive.
    Search {
        folder: PathBuf,
        query: String,
        /// QUERY is a regular expression (Rust regex syntax), not plain text.
        #[arg(long)]
        regex: bool,
        #[arg(long, value_enum, default_value_t = SearchFormat::Jsonl)]
        format: SearchFormat,
        /// Write here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print the text PolicyLens reads from one article file (decoded, or from a PDF's
    /// text layer in reading order), as the source view shows it.
    Text {
        file: PathBuf,
        /// Before each paragraph of a PDF, write its page as `[p. N]` on a line of its own.
        #[arg(long)]
        pages: bool,
    },
    /// Work with lexicons (what the analyst knows about names).
    Lexicon {
        #[command(subcommand)]
        command: LexiconCommand,
    },
}

#[derive(Subcommand)]
enum LexiconCommand {
    /// Add a roster of officials or a list of tracked projects (CSV, TSV or XLSX) to a
    /// lexicon as `always` entries (rows with `action` = `never` as `never` entries).
    Import {
        /// The list: names under 姓名/名称/name/text, district under 区县/district/county,
        /// post or note under 职务/post/备注.
        list: PathBuf,
        /// What the names are, unless the list has a `kind` column.
        #[arg(long, value_enum)]
        kind: ListKind,
        /// Add to this folder's own lexicon (`FOLDER/.policylens/lexicon.tsv`).
        #[arg(long, required_unless_present = "to", conflicts_with = "to")]
        folder: Option<PathBuf>,
        /// Add to this lexicon file instead.
        #[arg(long)]
        to: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SearchFormat {
    Jsonl,
    Csv,
}

/// The kinds a list can name.
#[derive(Clone, Copy, ValueEnum)]
enum ListKind {
    District,
    Official,
    Project,
}

impl From<ListKind> for policylens::ItemKind {
    fn from(kind: ListKind) -> Self {
        match kind {
            ListKind::District => policylens::ItemKind::District,
            ListKind::Official => policylens::ItemKind::Official,
            ListKind::Project => policylens::ItemKind::Project,
        }
    }
}

/// Which table `policylens export` writes.
#[derive(Clone, Copy)]
enum ExportWhat {
    Items,
    Districts,
    Projects,
}

#[derive(Clone, Copy, ValueEnum)]
enum NotesFormat {
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Json,
    Jsonl,
    Csv,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Extract {
            stdin: true,
            summary,
            output,
            lexicons,
            ..
        }) => run_extract_stdin(output, &lexicons, summary),
        Some(Command::Extract {
            folder,
            format,
            output,
            max_file_mb,
            use_cache,
            lexicons,
            ..
        }) => run_extract(
            folder.unwrap_or_default(),
            format,
            output,
            max_file_mb,
            use_cache,
            lexicons,
        ),
        Some(Command::Train {
            gold,
            articles,
            output,
            l2,
        }) => run_train(&gold, &articles, &output, l2),
        Some(Command::Evaluate {
            gold,
            articles,
            loso,
            l2,
        }) => run_evaluate(&gold, &articles, loso, l2),
        Some(Command::Bench {
            folder,
            runs,
            cache,
            lexicon,
            searches,
        }) => run_bench(folder, runs, cache, lexicon, &searches),
        Some(Command::Export {
            folder,
            output,
            format,
            tags,
            with_rejected,
            districts,
            projects,
        }) => {
            let what = if projects {
                ExportWhat::Projects
            } else if districts {
                ExportWhat::Districts
            } else {
                ExportWhat::Items
            };
            run_export(folder, output, format, &tags, with_rejected, what)
        }
        Some(Command::Search {
            folder,
            query,
            regex,
            format,
            output,
        }) => run_search(&folder, &query, regex, format, output),
        Some(Command::Text { file, pages }) => run_text(&file, pages),
        Some(Command::Lexicon {
            command:
                LexiconCommand::Import {
                    list,
                    kind,
                    folder,
                    to,
                },
        }) => {
            let target = to.unwrap_or_else(|| {
                policylens::lexicon::folder_lexicon_path(&folder.unwrap_or_default())
            });
            run_lexicon_import(&list, kind.into(), &target)
        }
        None => run_app(cli.folder),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "policylens: {}",
                policylens::error::chain_message(err.as_ref())
            );
            std::process::ExitCode::FAILURE
        }
    }
}

fn run_extract(
    folder: PathBuf,
    format: OutputFormat,
    output: Option<PathBuf>,
    max_file_mb: u64,
    use_cache: bool,
    lexicons: Vec<PathBuf>,
) -> anyhow::Result<()> {
    let (lexicon, problems) = policylens::lexicon::for_folder(Some(&folder), None, &lexicons);
    for problem in &problems {
        eprintln!("warning: {problem}; the line is skipped");
    }
    let options = LoadOptions {
        max_file_bytes: max_file_mb.saturating_mul(1024 * 1024),
        use_cache,
        lexicon: (!lexicon.is_empty()).then(|| std::sync::Arc::new(lexicon)),
        ..LoadOptions::default()
    };
    let progress = Progress::default();
    let extraction = std::thread::scope(|scope| {
        let worker = scope.spawn(|| extract_folder(&folder, &options, &progress));
        if std::io::stderr().is_terminal() {
            show_progress(&progress, &worker);
        }
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })?;
    if let Some(error) = &extraction.cache_error {
        eprintln!("warning: {error}");
    }
    for document in &extraction.documents {
        if let Some(error) = &document.error {
            eprintln!("warning: {error}");
        }
        for warning in &document.warnings {
            eprintln!("warning: {warning}");
        }
    }
    let format = match format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Jsonl => Format::Jsonl,
        OutputFormat::Csv => Format::Csv,
    };
    match &output {
        Some(path) => export::write_replacing(path, |temp| -> anyhow::Result<()> {
            let mut out = BufWriter::new(
                std::fs::File::create(temp)
                    .with_context(|| format!("cannot create {}", path.display()))?,
            );
            export::write(&extraction, format, &mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("cannot write {}", path.display()))
        }),
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            export::write(&extraction, format, &mut out).context("cannot write output")?;
            out.flush().context("cannot write output")
        }
    }
}

fn show_progress<T>(progress: &Progress, worker: &std::thread::ScopedJoinHandle<'_, T>) {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    while !worker.is_finished() {
        bar.set_length(progress.total.load(Ordering::Relaxed) as u64);
        bar.set_position(progress.done.load(Ordering::Relaxed) as u64);
        bar.set_message(progress.current_file());
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}

fn run_extract_stdin(
    output: Option<PathBuf>,
    lexicons: &[PathBuf],
    summary: bool,
) -> anyhow::Result<()> {
    let (lexicon, problems) = policylens::lexicon::for_folder(None, None, lexicons);
    for problem in &problems {
        eprintln!("warning: {problem}; the line is skipped");
    }
    let mut input = std::io::stdin().lock();
    let mut out: Box<dyn Write> = match &output {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let lexicon = (!lexicon.is_empty()).then_some(&lexicon);
    let counts = policylens::stream::extract_stream(&mut input, &mut out, lexicon)
        .context("the stream broke off")?;
    if summary {
        eprintln!(
            "records {} · items {} · bad lines {} · peak RSS {} MB",
            counts.records,
            counts.items,
            counts.bad_lines,
            peak_rss_kb().map_or(0, |kb| kb / 1024)
        );
    }
    Ok(())
}

fn run_text(file: &std::path::Path, pages: bool) -> anyhow::Result<()> {
    let folder = file.parent().unwrap_or(std::path::Path::new("."));
    let entry = policylens::corpus::file_entry(folder, file)
        .with_context(|| format!("not a kind of file PolicyLens reads: {}", file.display()))?;
    let document = policylens::corpus::load_entry(&entry, &LoadOptions::default());
    if let Some(error) = &document.error {
        anyhow::bail!("{error}");
    }
    let mut out = std::io::stdout().lock();
    if !pages || document.paragraph_pages.is_empty() {
        writeln!(out, "{}", document.text)?;
        return Ok(());
    }
    let mut page_shown = None;
    for (offset, paragraph) in paragraphs_with_offsets(&document.text) {
        if let Some(page) = document.page_at(offset)
            && page_shown != Some(page)
        {
            writeln!(out, "[p. {page}]")?;
            page_shown = Some(page);
        }
        writeln!(out, "{paragraph}\n")?;
    }
    Ok(())
}

/// The paragraphs of a text (separated by blank lines) with their character offsets.
fn paragraphs_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for paragraph in text.split("\n\n") {
        out.push((offset, paragraph));
        offset += paragraph.chars().count() + 2;
    }
    out
}

fn run_search(
    folder: &std::path::Path,
    query: &str,
    is_regex: bool,
    format: SearchFormat,
    output: Option<PathBuf>,
) -> anyhow::Result<()> {
    use policylens::search;
    let query = search::Query::new(query, is_regex)?;
    let options = LoadOptions::default();
    let entries = policylens::corpus::scan(folder)?;
    let documents: Vec<policylens::Document> = {
        use rayon::prelude::*;
        entries
            .par_iter()
            .map(|entry| policylens::corpus::load_entry(entry, &options))
            .collect()
    };
    for document in documents.iter().filter(|d| d.error.is_some()) {
        if let Some(error) = &document.error {
            eprintln!("warning: {}", error.as_ref() as &str);
        }
    }
    let index = search::SearchIndex::build(&documents);
    let out: Box<dyn Write> = match &output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let out = BufWriter::new(out);
    enum Sink {
        Csv(Box<csv::Writer<BufWriter<Box<dyn Write>>>>),
        Jsonl(BufWriter<Box<dyn Write>>),
    }
    let mut sink = match format {
        SearchFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(["file", "title", "start", "end", "text", "sentence"])?;
            Sink::Csv(Box::new(csv))
        }
        SearchFormat::Jsonl => Sink::Jsonl(out),
    };
    let mut written: anyhow::Result<()> = Ok(());
    let cancel = std::sync::atomic::AtomicBool::new(false);
    search::search(
        &documents,
        &index,
        &query,
        usize::MAX,
        &cancel,
        |matches, _| {
            for found in matches {
                let document = &documents[found.document];
                let text = &document.text[found.bytes.clone()];
                let sentence = search::sentence(&document.text, found.bytes.clone());
                let (start, end) = (found.chars.start, found.chars.end);
                let result = match &mut sink {
                    Sink::Csv(csv) => csv
                        .write_record([
                            document.file.as_str(),
                            document.title.as_str(),
                            &start.to_string(),
                            &end.to_string(),
                            text,
                            &sentence,
                        ])
                        .map_err(anyhow::Error::from),
                    Sink::Jsonl(out) => {
                        let line = serde_json::json!({
                            "file": document.file,
                            "title": document.title,
                            "start": start,
                            "end": end,
                            "text": text,
                            "sentence": sentence,
                        });
                        writeln!(out, "{line}").map_err(anyhow::Error::from)
                    }
                };
                if let Err(err) = result {
                    written = Err(err);
                    return false;
                }
            }
            true
        },
    );
    written?;
    match sink {
        Sink::Csv(mut csv) => csv.flush()?,
        Sink::Jsonl(mut out) => out.flush()?,
    }
    Ok(())
}

fn run_lexicon_import(
    list: &std::path::Path,
    kind: policylens::ItemKind,
    target: &std::path::Path,
) -> anyhow::Result<()> {
    let entries = policylens::lexicon::import_list(list, kind)?;
    let (mut lexicon, problems) = if target.exists() {
        policylens::lexicon::Lexicon::read(target)
            .with_context(|| format!("cannot read the lexicon {}", target.display()))?
    } else {
        Default::default()
    };
    for problem in &problems {
        eprintln!("warning: {problem}; the line is kept out");
    }
    let read = entries.len();
    let added = entries
        .into_iter()
        .filter(|entry| lexicon.insert(entry.clone()))
        .count();
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    lexicon
        .write(target)
        .with_context(|| format!("cannot write the lexicon {}", target.display()))?;
    println!(
        "{added} entr{} added to {} ({} already there; {} in all)",
        if added == 1 { "y" } else { "ies" },
        target.display(),
        read - added,
        lexicon.entries.len()
    );
    Ok(())
}

fn run_export(
    folder: PathBuf,
    output: PathBuf,
    format: Option<NotesFormat>,
    tag_names: &[String],
    with_rejected: bool,
    what: ExportWhat,
) -> anyhow::Result<()> {
    use policylens::annotate::store::read_saved;
    use policylens::export::notes::{self, NotesSource};
    use policylens::insight::projects::{GroupingInput, group_projects, mention_stages};
    use policylens::table::AttachedNotes;
    let extraction = extract_folder(&folder, &LoadOptions::default(), &Progress::default())
        .with_context(|| format!("cannot export {}", folder.display()))?;
    let annotations = read_saved(&folder)
        .map_err(|detail| anyhow::anyhow!("cannot read the saved annotations: {detail}"))?;
    let wanted_tags = annotations.tag_ids_named(tag_names).map_err(|name| {
        let known: Vec<&str> = annotations.tags.iter().map(|t| t.name.as_str()).collect();
        anyhow::anyhow!("no tag named {name:?}; the folder's tags are {known:?}")
    })?;
    let attachment = annotations.attach(&extraction.items);
    let note_of = |index: usize| {
        attachment
            .by_item
            .get(&index)
            .and_then(|id| annotations.items.get(id))
    };
    // The items table's own review filter: rejected items and tags alike.
    let indices: Vec<usize> = (0..extraction.items.len())
        .filter(|&i| policylens::table::passes_review(note_of(i), with_rejected, &wanted_tags))
        .collect();
    let source = NotesSource {
        documents: &extraction.documents,
        items: &extraction.items,
        annotations: &annotations,
        attachment: &attachment,
    };
    let rows = source.rows(&indices, wanted_tags.is_empty());
    let article_dates =
        policylens::insight::article_dates(&extraction.documents, &extraction.items);
    let mut districts = policylens::table::district_overview(&extraction.items, &article_dates);
    policylens::table::attach_stated_totals(
        &mut districts,
        policylens::insight::stated::stated_totals(&extraction.documents, &extraction.items),
    );
    let overview = notes::district_rows(&districts);
    let project_rows = || {
        let stages = mention_stages(&extraction.items, &extraction.documents);
        let input = GroupingInput {
            items: &extraction.items,
            notes: &AttachedNotes {
                annotations: &annotations,
                by_item: &attachment.by_item,
            },
            stages: &stages,
            article_dates: &article_dates,
        };
        notes::project_rows(&group_projects(&input, indices.iter().copied()))
    };
    if policylens::export::qdpx::is_qdpx(&output) {
        let summary = policylens::export::qdpx::write_qdpx_file(
            &output,
            &folder,
            &extraction.documents,
            &extraction.items,
            &annotations,
            &attachment,
        )
        .with_context(|| format!("cannot write {}", output.display()))?;
        eprintln!(
            "REFI-QDA project: {} sources, {} selections, {} notes, {} cases written to {}",
            summary.sources,
            summary.selections,
            summary.notes,
            summary.cases,
            output.display()
        );
        return Ok(());
    }
    // The format follows the file name unless --format says otherwise.
    let format = match format {
        Some(NotesFormat::Csv) => notes::NotesFormat::Csv,
        Some(NotesFormat::Xlsx) => notes::NotesFormat::Xlsx,
        None => notes::NotesFormat::for_path(&output)?,
    };
    let projects;
    let table = match what {
        ExportWhat::Items => notes::NotesTable::Items {
            rows: &rows,
            districts: &overview,
        },
        ExportWhat::Districts => notes::NotesTable::Districts(&overview),
        ExportWhat::Projects => {
            projects = project_rows();
            notes::NotesTable::Projects(&projects)
        }
    };
    let written = notes::write_notes_file(table, format, &output)?;
    eprintln!("{written} rows written to {}", output.display());
    Ok(())
}

#[cfg(feature = "gui")]
fn run_app(folder: Option<PathBuf>) -> anyhow::Result<()> {
    policylens::ui::run(folder.map(policylens::ui::Source::Folder))
}

#[cfg(not(feature = "gui"))]
fn run_app(_folder: Option<PathBuf>) -> anyhow::Result<()> {
    use clap::CommandFactory;
    Cli::command().print_help()?;
    Ok(())
}

fn run_bench(
    folder: PathBuf,
    runs: u64,
    use_cache: bool,
    lexicon: Option<PathBuf>,
    searches: &[String],
) -> anyhow::Result<()> {
    let options = LoadOptions {
        use_cache,
        ..LoadOptions::default()
    };
    let warmup = Instant::now();
    policylens::Extractor::shared();
    let init = warmup.elapsed();
    let mut times = Vec::new();
    let mut last = None;
    for run in 0..=runs {
        let start = Instant::now();
        let extraction = extract_folder(&folder, &options, &Progress::default())?;
        let elapsed = start.elapsed();
        if run > 0 {
            times.push(elapsed);
        }
        last = Some(extraction);
    }
    let extraction = last.context("no run")?;
    let bytes: u64 = extraction
        .documents
        .iter()
        .filter_map(|d| std::fs::metadata(&d.path).ok())
        .map(|m| m.len())
        .sum();
    times.sort();
    let median = times[times.len() / 2];
    let seconds = median.as_secs_f64();
    println!("folder            {}", folder.display());
    println!(
        "documents         {} ({} with errors)",
        extraction.documents.len(),
        extraction
            .documents
            .iter()
            .filter(|d| d.error.is_some())
            .count()
    );
    println!("bytes             {:.1} MB", bytes as f64 / 1e6);
    println!("items             {}", extraction.items.len());
    if use_cache {
        println!("from cache        {} documents", extraction.reused);
    }
    println!("extractor init    {:.0} ms", init.as_secs_f64() * 1e3);
    println!("threads           {}", rayon::current_num_threads());
    println!(
        "wall (median of {}) {:.2} s   [{}]",
        times.len(),
        seconds,
        times
            .iter()
            .map(|t| format!("{:.2}", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "throughput        {:.1} MB/s, {:.0} articles/s",
        bytes as f64 / 1e6 / seconds,
        extraction.documents.len() as f64 / seconds
    );
    if let Some(path) = lexicon {
        let (lexicon, problems) = policylens::lexicon::Lexicon::read(&path)?;
        anyhow::ensure!(problems.is_empty(), "{}", problems[0]);
        let mut passes = Vec::new();
        let mut applied = None;
        for _ in 0..3 {
            let mut items = extraction.items.clone();
            let start = Instant::now();
            applied = Some(lexicon.apply(&extraction.documents, &mut items));
            passes.push(start.elapsed());
        }
        passes.sort();
        let pass = passes[1].as_secs_f64();
        let applied = applied.context("no pass")?;
        println!(
            "lexicon pass      {:.3} s median of 3 ({} entries; {} removed, {} added; {:.1} % of the extraction time)",
            pass,
            lexicon.entries.len(),
            applied.removed,
            applied.added,
            100.0 * pass / seconds
        );
        bench_rule_changes(&extraction, &lexicon, seconds)?;
    }
    if !searches.is_empty() {
        bench_searches(&extraction.documents, searches)?;
    }
    if let Some(rss) = peak_rss_kb() {
        println!("peak RSS          {:.0} MB", rss as f64 / 1024.0);
    }
    Ok(())
}

/// Times full-text searches as the app runs them: the folded copies are built by the
/// first query (timed apart); then, per query, the time until the first batch of
/// matches arrives and until the last, median of three.
fn bench_searches(documents: &[policylens::Document], queries: &[String]) -> anyhow::Result<()> {
    use policylens::search::{Query, SearchIndex, search};
    let start = Instant::now();
    let index = SearchIndex::build(documents);
    println!(
        "search index      {:.3} s, {:.1} MB of folded copies",
        start.elapsed().as_secs_f64(),
        index.bytes() as f64 / 1e6
    );
    let cancel = std::sync::atomic::AtomicBool::new(false);
    for text in queries {
        let query = Query::new(text, false)?;
        let mut firsts = Vec::new();
        let mut alls = Vec::new();
        let mut count = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let mut first = None;
            count = 0;
            search(
                documents,
                &index,
                &query,
                usize::MAX,
                &cancel,
                |matches, _| {
                    count += matches.len();
                    if first.is_none() && !matches.is_empty() {
                        first = Some(start.elapsed());
                    }
                    true
                },
            );
            alls.push(start.elapsed());
            firsts.push(first.unwrap_or_default());
        }
        firsts.sort();
        alls.sort();
        println!(
            "search “{text}”  first matches {:.1} ms, all {:.1} ms ({count} matches), median of 3",
            firsts[1].as_secs_f64() * 1e3,
            alls[1].as_secs_f64() * 1e3,
        );
    }
    Ok(())
}

/// Times what the app does after one rule from the table: the folder's most frequent
/// project text made `never`, then `always` (which teaches the segmenter a word), each
/// applied to the folder extracted with `lexicon` by re-extracting only the files where
/// the text occurs.
fn bench_rule_changes(
    extraction: &policylens::pipeline::Extraction,
    lexicon: &policylens::lexicon::Lexicon,
    extraction_seconds: f64,
) -> anyhow::Result<()> {
    use policylens::ItemKind;
    use policylens::lexicon::Entry;
    let mut items = extraction.items.clone();
    lexicon.apply(&extraction.documents, &mut items);
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    let in_lexicon: std::collections::HashSet<&str> =
        lexicon.entries.iter().map(|e| e.text.as_str()).collect();
    for item in items.iter().filter(|i| i.kind == ItemKind::Project) {
        if !in_lexicon.contains(item.text.as_str()) {
            *counts.entry(item.text.as_str()).or_default() += 1;
        }
    }
    let Some((text, _)) = counts.into_iter().max_by_key(|&(text, n)| (n, text)) else {
        return Ok(());
    };
    for entry in [
        Entry::never(ItemKind::Project, text),
        Entry::always(ItemKind::Project, text, None),
    ] {
        let mut changed = lexicon.clone();
        changed.insert(entry.clone());
        let start = Instant::now();
        let (_, change) =
            policylens::pipeline::reapply_lexicon(&extraction.documents, &items, lexicon, &changed);
        let took = start.elapsed().as_secs_f64();
        println!(
            "rule change       {took:.3} s for {} “{}” ({} files changed, {} removed, {} added; {:.1} % of the extraction time)",
            entry.action.as_str(),
            entry.text,
            change.files.len(),
            change.removed,
            change.added,
            100.0 * took / extraction_seconds
        );
    }
    Ok(())
}

/// Peak resident set size of this process (Linux), in kB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn load_gold_samples(
    gold: &[PathBuf],
    articles: &[PathBuf],
) -> anyhow::Result<Vec<policylens::evaluate::Sample>> {
    anyhow::ensure!(
        gold.len() == articles.len(),
        "give one --articles folder for each --gold folder"
    );
    let mut samples = Vec::new();
    for (gold_dir, folder) in gold.iter().zip(articles) {
        let loaded = policylens::evaluate::load_samples(gold_dir, folder)?;
        anyhow::ensure!(
            !loaded.is_empty(),
            "no article of {} has a gold file in {}",
            folder.display(),
            gold_dir.display()
        );
        samples.extend(loaded);
    }
    Ok(samples)
}

fn run_train(
    gold: &[PathBuf],
    articles: &[PathBuf],
    output: &PathBuf,
    l2: f64,
) -> anyhow::Result<()> {
    use policylens::evaluate;
    use policylens::extract::scorer::Model;
    let samples = load_gold_samples(gold, articles)?;
    let all: Vec<&evaluate::Sample> = samples.iter().collect();
    let examples = evaluate::examples(&all);
    let model = Model::train(&examples, l2);
    std::fs::write(output, model.to_tsv())
        .with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "trained on {} candidates from {} articles; wrote {}",
        examples.len(),
        samples.len(),
        output.display()
    );
    println!(
        "{}",
        evaluate::format_scores(&evaluate::evaluate(&all, &model))
    );
    Ok(())
}

fn run_evaluate(gold: &[PathBuf], articles: &[PathBuf], loso: bool, l2: f64) -> anyhow::Result<()> {
    use policylens::evaluate;
    use policylens::extract::ItemKind;
    use policylens::extract::scorer::Model;
    let samples = load_gold_samples(gold, articles)?;
    let all: Vec<&evaluate::Sample> = samples.iter().collect();
    let model = Model::builtin();
    println!("## Scores (built-in scorer)\n");
    println!(
        "{}",
        evaluate::format_scores(&evaluate::evaluate(&all, model))
    );
    println!("## Review effort: to 100 % precision of the shown items\n");
    println!(
        "| kinds | items | wrong | queue key presses | rows read in order |\n|---|---|---|---|---|"
    );
    for (name, kinds) in [
        (
            "projects and officials",
            &[ItemKind::Project, ItemKind::Official][..],
        ),
        ("all scored kinds", &evaluate::SCORED_KINDS[..]),
    ] {
        let effort = evaluate::review_effort(&all, model, kinds);
        println!(
            "| {name} | {} | {} | {} | {} |",
            effort.items, effort.wrong, effort.queue_presses, effort.rows_read
        );
    }
    println!();
    println!("## Reliability of the confidence: all kinds\n");
    println!(
        "{}",
        evaluate::reliability(&all, model, &evaluate::SCORED_KINDS)
    );
    println!("## Reliability: projects and officials\n");
    println!(
        "{}",
        evaluate::reliability(&all, model, &[ItemKind::Project, ItemKind::Official])
    );
    if loso {
        let mut groups: Vec<&str> = samples.iter().map(|s| s.group.as_str()).collect();
        groups.sort_unstable();
        groups.dedup();
        println!("## Leave one source out (trained on the other groups, scored on this one)\n");
        let mut held_out_table = std::collections::BTreeMap::new();
        let folds: Vec<(&str, Model)> = groups
            .iter()
            .map(|group| {
                let train: Vec<&evaluate::Sample> =
                    samples.iter().filter(|s| s.group != *group).collect();
                (*group, Model::train(&evaluate::examples(&train), l2))
            })
            .collect();
        for (group, fold) in &folds {
            let group = *group;
            let test: Vec<&evaluate::Sample> =
                samples.iter().filter(|s| s.group == group).collect();
            let scores = evaluate::evaluate(&test, fold);
            if let Some(kinds) = scores.get(group) {
                held_out_table.insert(group.to_owned(), kinds.clone());
                let entry: &mut std::collections::BTreeMap<ItemKind, evaluate::Counts> =
                    held_out_table.entry("all".to_owned()).or_default();
                for (kind, counts) in kinds {
                    entry.entry(*kind).or_default().add(*counts);
                }
            }
        }
        println!("{}", evaluate::format_scores(&held_out_table));
        // Each article scored by the fold that did not train on its group.
        let held_out: Vec<(&evaluate::Sample, &Model)> = samples
            .iter()
            .filter_map(|s| {
                let (_, fold) = folds.iter().find(|(g, _)| *g == s.group)?;
                Some((s, fold))
            })
            .collect();
        println!("## Reliability out of sample (leave one source out): all kinds\n");
        println!(
            "{}",
            evaluate::reliability_of(&held_out, &evaluate::SCORED_KINDS)
        );
        println!("## Reliability out of sample: projects and officials\n");
        println!(
            "{}",
            evaluate::reliability_of(&held_out, &[ItemKind::Project, ItemKind::Official])
        );
    }
    Ok(())
}
