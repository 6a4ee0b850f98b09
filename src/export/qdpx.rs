//! The analyst's reviewed work as a REFI-QDA project (`.qdpx`), the exchange format of
//! ATLAS.ti, MAXQDA, NVivo, QualCoder and Transana: a zip holding `project.qde` (QDA-XML
//! 1.0, `urn:QDA-XML:project:1.0`) and every article under `sources/` as UTF-8 plain text.
//!
//! Mapping: each tag is a code with its colour; each item kind is a code under a
//! `PolicyLens` parent; each reviewed, corrected, noted or tagged item (and each manual
//! one), unless rejected, is a `PlainTextSelection` (positions are character offsets,
//! as everywhere) coded with its kind and tags; item and document notes are `Note`s
//! referred to by `NoteRef`; each district is a `Case` holding its documents. GUIDs are
//! derived from what they stand for, so two exports of the same folder agree.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use sha2::{Digest, Sha256};

use crate::annotate::{Annotations, Attachment, ItemNote};
use crate::corpus::Document;
use crate::extract::{Item, ItemKind};

/// The kinds coded under the `PolicyLens` parent, with their colours (the app's).
const KIND_CODES: [(ItemKind, &str, &str); 6] = [
    (ItemKind::District, "District", "#1F6FD1"),
    (ItemKind::Official, "Official", "#8A3FC2"),
    (ItemKind::Project, "Project", "#1A8A4A"),
    (ItemKind::Amount, "Amount", "#C25E00"),
    (ItemKind::Date, "Date", "#007F8C"),
    (ItemKind::City, "City or province", "#6B7280"),
];

/// A GUID (8-4-4-4-12 hex) derived from `key`: the same key, the same GUID.
pub fn guid(key: &str) -> String {
    let digest = Sha256::digest(format!("policylens:{key}").as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// One selection to write: where, what, and its note.
struct Selection<'a> {
    key: String,
    file: &'a str,
    kind: ItemKind,
    text: String,
    start: usize,
    end: usize,
    note: Option<&'a ItemNote>,
    district: Option<String>,
}

/// What a project holds, for the caller to report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct QdpxSummary {
    pub sources: usize,
    pub selections: usize,
    pub notes: usize,
    pub cases: usize,
}

/// Writes the project to `out` (a `.qdpx` zip).
pub fn write_qdpx(
    out: impl Write + std::io::Seek,
    project_name: &str,
    documents: &[Document],
    items: &[Item],
    annotations: &Annotations,
    attachment: &Attachment,
) -> std::io::Result<QdpxSummary> {
    let mut summary = QdpxSummary::default();
    let selections = selections(documents, items, annotations, attachment);
    let user = guid("user");
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"PolicyLens {}\" \
         creatingUserGUID=\"{user}\">\n",
        escape(project_name),
        env!("CARGO_PKG_VERSION")
    ));
    xml.push_str(&format!(
        "<Users><User guid=\"{user}\" name=\"PolicyLens\"/></Users>\n"
    ));
    // The codebook: the tags, then the kinds under a parent that is not itself codable.
    xml.push_str("<CodeBook><Codes>\n");
    for tag in &annotations.tags {
        let [r, g, b] = tag.color;
        xml.push_str(&format!(
            "<Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"#{r:02X}{g:02X}{b:02X}\"/>\n",
            guid(&format!("tag:{}", tag.id)),
            escape(&tag.name)
        ));
    }
    xml.push_str(&format!(
        "<Code guid=\"{}\" name=\"PolicyLens\" isCodable=\"false\">\n",
        guid("code:policylens")
    ));
    for (kind, name, color) in KIND_CODES {
        xml.push_str(&format!(
            "<Code guid=\"{}\" name=\"{name}\" isCodable=\"true\" color=\"{color}\"/>\n",
            guid(&format!("kind:{}", kind.as_str()))
        ));
    }
    xml.push_str("</Code>\n</Codes></CodeBook>\n");
    // Cases: a district holds the documents with selections attributed to it.
    let mut cases: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for selection in &selections {
        if let Some(district) = selection.district.as_deref() {
            cases.entry(district).or_default().insert(selection.file);
        }
    }
    if !cases.is_empty() {
        xml.push_str("<Cases>\n");
        for (district, files) in &cases {
            xml.push_str(&format!(
                "<Case guid=\"{}\" name=\"{}\">",
                guid(&format!("case:{district}")),
                escape(district)
            ));
            for file in files {
                xml.push_str(&format!(
                    "<SourceRef targetGUID=\"{}\"/>",
                    guid(&format!("source:{file}"))
                ));
            }
            xml.push_str("</Case>\n");
        }
        xml.push_str("</Cases>\n");
        summary.cases = cases.len();
    }
    // Sources, each with its selections, and the notes they refer to.
    let mut notes: Vec<(String, String, String)> = Vec::new();
    let mut by_file: BTreeMap<&str, Vec<&Selection>> = BTreeMap::new();
    for selection in &selections {
        by_file.entry(selection.file).or_default().push(selection);
    }
    let mut zip = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    xml.push_str("<Sources>\n");
    for document in documents.iter().filter(|d| d.error.is_none()) {
        let source = guid(&format!("source:{}", document.file));
        zip.start_file(format!("sources/{source}.txt"), options)?;
        zip.write_all(document.text.as_bytes())?;
        summary.sources += 1;
        xml.push_str(&format!(
            "<TextSource guid=\"{source}\" name=\"{}\" plainTextPath=\"internal://{source}.txt\">\n",
            escape(document.label())
        ));
        for selection in by_file.get(document.file.as_str()).into_iter().flatten() {
            summary.selections += 1;
            xml.push_str(&format!(
                "<PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\">",
                guid(&format!("selection:{}", selection.key)),
                escape(&selection.text),
                selection.start,
                selection.end
            ));
            let mut codes = vec![guid(&format!("kind:{}", selection.kind.as_str()))];
            for tag in selection.note.map(|n| &n.tags).into_iter().flatten() {
                codes.push(guid(&format!("tag:{tag}")));
            }
            for code in codes {
                xml.push_str(&format!(
                    "<Coding guid=\"{}\" creatingUser=\"{user}\"><CodeRef targetGUID=\"{code}\"/></Coding>",
                    guid(&format!("coding:{}:{code}", selection.key))
                ));
            }
            if let Some(note) = selection.note.filter(|n| !n.note.trim().is_empty()) {
                let note_guid = guid(&format!("note:item:{}", selection.key));
                xml.push_str(&format!("<NoteRef targetGUID=\"{note_guid}\"/>"));
                notes.push((note_guid, selection.text.clone(), note.note.clone()));
            }
            xml.push_str("</PlainTextSelection>\n");
        }
        if let Some(note) = annotations
            .documents
            .get(&document.file)
            .filter(|n| !n.trim().is_empty())
        {
            let note_guid = guid(&format!("note:document:{}", document.file));
            xml.push_str(&format!("<NoteRef targetGUID=\"{note_guid}\"/>\n"));
            notes.push((note_guid, document.label().to_owned(), note.clone()));
        }
        xml.push_str("</TextSource>\n");
    }
    xml.push_str("</Sources>\n");
    if !notes.is_empty() {
        xml.push_str("<Notes>\n");
        for (note_guid, name, text) in &notes {
            xml.push_str(&format!(
                "<Note guid=\"{note_guid}\" name=\"{}\"><PlainTextContent>{}</PlainTextContent></Note>\n",
                escape(name),
                escape(text)
            ));
        }
        xml.push_str("</Notes>\n");
        summary.notes = notes.len();
    }
    xml.push_str("</Project>\n");
    zip.start_file("project.qde", options)?;
    zip.write_all(xml.as_bytes())?;
    zip.finish()?;
    Ok(summary)
}

/// Writes the project to the file `path` (replacing it only once complete); the project
/// is named after `folder`.
pub fn write_qdpx_file(
    path: &std::path::Path,
    folder: &std::path::Path,
    documents: &[Document],
    items: &[Item],
    annotations: &Annotations,
    attachment: &Attachment,
) -> std::io::Result<QdpxSummary> {
    let name = folder.file_name().map_or_else(
        || "PolicyLens".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    super::write_replacing(path, |temp| {
        let file = std::fs::File::create(temp)?;
        let summary = write_qdpx(
            std::io::BufWriter::new(file),
            &name,
            documents,
            items,
            annotations,
            attachment,
        )?;
        Ok(summary)
    })
}

/// Whether `path` names a REFI-QDA project.
pub fn is_qdpx(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"))
}

/// A code read from a REFI-QDA codebook: its name and colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCode {
    pub name: String,
    pub color: Option<[u8; 3]>,
}

/// Why a codebook could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    #[error("cannot read {}: {detail}", path.display())]
    Unreadable {
        path: std::path::PathBuf,
        detail: String,
    },
    #[error("{} holds no project.qde", path.display())]
    NoProject { path: std::path::PathBuf },
    #[error("{} is not QDA-XML: {detail}", path.display())]
    NotXml {
        path: std::path::PathBuf,
        detail: String,
    },
}

/// The largest `project.qde` or `.qdc` read: a codebook is small, and a zip bomb is not
/// unpacked further than this.
const MAX_CODEBOOK_BYTES: u64 = 64 << 20;

/// The codable codes of a `.qdpx` project or a `.qdc` codebook, in document order,
/// without PolicyLens's own kind codes (a project PolicyLens wrote gives back its tags).
pub fn read_codebook(path: &std::path::Path) -> Result<Vec<ImportedCode>, CodebookError> {
    use std::io::Read;
    let unreadable = |detail: String| CodebookError::Unreadable {
        path: path.to_path_buf(),
        detail,
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut xml = String::new();
    if is_qdpx(path) {
        let mut archive = zip::ZipArchive::new(file).map_err(|e| unreadable(e.to_string()))?;
        let entry = archive
            .by_name("project.qde")
            .map_err(|_| CodebookError::NoProject {
                path: path.to_path_buf(),
            })?;
        entry
            .take(MAX_CODEBOOK_BYTES)
            .read_to_string(&mut xml)
            .map_err(|e| unreadable(e.to_string()))?;
    } else {
        file.take(MAX_CODEBOOK_BYTES)
            .read_to_string(&mut xml)
            .map_err(|e| unreadable(e.to_string()))?;
    }
    let ours: BTreeSet<String> = (KIND_CODES.iter())
        .map(|(kind, _, _)| guid(&format!("kind:{}", kind.as_str())))
        .chain([guid("code:policylens")])
        .collect();
    let not_xml = |detail: String| CodebookError::NotXml {
        path: path.to_path_buf(),
        detail,
    };
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut codes = Vec::new();
    loop {
        use quick_xml::events::Event;
        let event = reader.read_event().map_err(|e| not_xml(e.to_string()))?;
        let element = match &event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Eof => break,
            _ => continue,
        };
        if element.local_name().as_ref() != b"Code" {
            continue;
        }
        let mut name = None;
        let mut color = None;
        let mut codable = true;
        let mut code_guid = String::new();
        for attribute in element.attributes().flatten() {
            let value = attribute
                .unescape_value()
                .map_err(|e| not_xml(e.to_string()))?
                .into_owned();
            match attribute.key.local_name().as_ref() {
                b"name" => name = Some(value),
                b"color" => color = parse_color(&value),
                b"isCodable" => codable = value != "false" && value != "0",
                b"guid" => code_guid = value,
                _ => {}
            }
        }
        if let Some(name) = name.filter(|n| !n.trim().is_empty())
            && codable
            && !ours.contains(&code_guid)
        {
            codes.push(ImportedCode { name, color });
        }
    }
    Ok(codes)
}

/// `existing` tags followed by the imported codes whose names they lack (compared
/// without case), with fresh ids; how many were added. A code without a colour gets
/// a grey.
pub fn merged_tags(
    existing: &[crate::annotate::Tag],
    codes: &[ImportedCode],
) -> (Vec<crate::annotate::Tag>, usize) {
    let mut tags = existing.to_vec();
    let mut next_id = tags.iter().map(|t| t.id).max().unwrap_or(0) + 1;
    let mut added = 0;
    for code in codes {
        let name = code.name.trim();
        if tags
            .iter()
            .any(|t| t.name.to_lowercase() == name.to_lowercase())
        {
            continue;
        }
        tags.push(crate::annotate::Tag {
            id: next_id,
            name: name.to_owned(),
            color: code.color.unwrap_or([0x8a, 0x8f, 0x98]),
        });
        next_id += 1;
        added += 1;
    }
    (tags, added)
}

fn parse_color(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    let hex: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_owned(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// The items worth taking to another tool: those the analyst accepted, corrected, noted
/// or tagged, and the manual ones; never the rejected.
fn selections<'a>(
    documents: &'a [Document],
    items: &'a [Item],
    annotations: &'a Annotations,
    attachment: &Attachment,
) -> Vec<Selection<'a>> {
    let known: BTreeSet<&str> = documents.iter().map(|d| d.file.as_str()).collect();
    let worked_on = |note: &ItemNote| {
        !note.rejected
            && (note.accepted
                || !note.tags.is_empty()
                || !note.note.trim().is_empty()
                || note.district.is_some()
                || note.kind.is_some()
                || note.amount_yuan.is_some())
    };
    let mut selections: Vec<Selection> = Vec::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        let Some(id) = attachment.by_item.get(&index) else {
            continue;
        };
        let Some(note) = annotations
            .items
            .get(id)
            .filter(|n| worked_on(n) || n.manual)
        else {
            continue;
        };
        taken.insert(id.as_str());
        selections.push(Selection {
            key: id.clone(),
            file: &item.file,
            kind: note.kind.unwrap_or(item.kind),
            text: item.text.clone(),
            start: item.start,
            end: item.end,
            note: Some(note),
            district: note.district.clone().or_else(|| item.district.clone()),
        });
    }
    // Manual items the extraction does not hold, by their anchors.
    for (id, note) in &annotations.items {
        if !note.manual || note.rejected || taken.contains(id.as_str()) {
            continue;
        }
        let Some(file) = known.get(note.anchor.file.as_str()) else {
            continue;
        };
        selections.push(Selection {
            key: id.clone(),
            file,
            kind: note.kind.unwrap_or(note.anchor.kind),
            text: note.anchor.text.clone(),
            start: note.anchor.start,
            end: note.anchor.end,
            note: Some(note),
            district: note.district.clone(),
        });
    }
    selections.sort_by(|a, b| (a.file, a.start, a.end).cmp(&(b.file, b.start, b.end)));
    selections
}
