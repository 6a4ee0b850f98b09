//! Text out of the container formats the loader accepts besides plain text:
//! HTML (visible text, block elements become line breaks) and Word `.docx`.

use std::io::Read;

use scraper::{Html, Node};

/// Which reader a file goes through, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    PlainText,
    Html,
    Docx,
    Pdf,
}

impl Format {
    /// The format for a file extension (lower-case, without the dot), or `None` when the
    /// loader does not read such files.
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension {
            "txt" | "md" | "text" | "markdown" => Some(Format::PlainText),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

const INVISIBLE_ELEMENTS: &[&str] = &["script", "style", "noscript", "template", "head"];

/// The visible text of an HTML page: scripts and styles dropped, one line per block.
/// The `<title>` is kept as the first line because articles saved from the web often
/// carry their headline only there.
pub fn html_to_text(html: &str) -> String {
    // The HTML parser's scope checks walk the stack of open elements, so nesting
    // thousands deep is quadratic (`<div>`×200,000 took 97 s). Such a page is read
    // flat instead: tags dropped, block tags as line breaks.
    if nesting_depth(html) > MAX_PARSED_NESTING {
        return flat_html_to_text(html);
    }
    let document = Html::parse_document(html);
    let mut out = String::new();
    let title = document
        .root_element()
        .descendants()
        .filter_map(|node| node.value().as_element().map(|el| (node, el)))
        .find(|(_, el)| el.name() == "title")
        .map(|(node, _)| {
            node.descendants()
                .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                .collect::<String>()
        });
    if let Some(title) = title {
        let title = collapse_spaces(&title);
        if !title.trim().is_empty() {
            out.push_str(title.trim());
            out.push_str("\n\n");
        }
    }
    // Iterative walk: pages nest deeply enough to overflow a recursive one.
    let mut stack = vec![(document.tree.root(), false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Element(el) => {
                let name = el.name();
                if INVISIBLE_ELEMENTS.contains(&name) {
                    continue;
                }
                let block = BLOCK_ELEMENTS.contains(&name);
                if closing {
                    if block {
                        out.push('\n');
                    }
                    continue;
                }
                if block {
                    out.push('\n');
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
            Node::Text(text) => out.push_str(&collapse_spaces(text)),
            Node::Document | Node::Fragment => {
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
            _ => {}
        }
    }
    tidy_lines(&out)
}

/// Deepest nesting the HTML parser is given; real pages stay far below it.
const MAX_PARSED_NESTING: usize = 512;

/// Elements that never have content, so never nest.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

fn tag_pattern() -> &'static regex::Regex {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        regex::Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>").expect("tag pattern compiles")
    })
}

/// An estimate of how deep the page's elements nest, from its tags alone (linear).
fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for tag in tag_pattern().captures_iter(html) {
        let name = tag[2].to_ascii_lowercase();
        if &tag[1] == "/" {
            depth = depth.saturating_sub(1);
        } else if &tag[3] != "/" && !VOID_ELEMENTS.contains(&name.as_str()) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// The text of a page read without building its tree: tags dropped, block tags as line
/// breaks, scripts and styles skipped, the common entities decoded.
fn flat_html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut at = 0;
    let mut skipping: Option<String> = None;
    for tag in tag_pattern().captures_iter(html) {
        let whole = tag.get(0).expect("match");
        let name = tag[2].to_ascii_lowercase();
        let closing = &tag[1] == "/";
        if skipping.is_none() {
            out.push_str(&collapse_spaces(&decode_entities(&html[at..whole.start()])));
        }
        at = whole.end();
        match &skipping {
            Some(skipped) if closing && *skipped == name => skipping = None,
            Some(_) => {}
            None if !closing && INVISIBLE_ELEMENTS.contains(&name.as_str()) => {
                skipping = Some(name);
            }
            None if BLOCK_ELEMENTS.contains(&name.as_str()) || name == "br" => out.push('\n'),
            None => {}
        }
    }
    if skipping.is_none() {
        out.push_str(&collapse_spaces(&decode_entities(&html[at..])));
    }
    tidy_lines(&out)
}

fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// HTML white space rules: runs of spaces, tabs and newlines are one space.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Trims each line and keeps at most one blank line between paragraphs.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank_run = 0;
    }
    out
}

/// The paragraphs of a Word document, one per line with a blank line between them.
/// `max_bytes` bounds the *decompressed* `word/document.xml`: a few megabytes of zip
/// can inflate to gigabytes (a zip bomb), so it is read through a cap, never whole.
pub fn docx_to_text(bytes: &[u8], max_bytes: u64) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a zip archive: {e}"))?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|e| format!("no word/document.xml: {e}"))?;
    let mut xml = String::new();
    entry
        .take(max_bytes.saturating_add(1))
        .read_to_string(&mut xml)
        .map_err(|e| format!("word/document.xml unreadable: {e}"))?;
    if xml.len() as u64 > max_bytes {
        return Err(format!(
            "word/document.xml decompresses to more than the limit of {max_bytes} bytes"
        ));
    }
    document_xml_to_text(&xml)
}

fn document_xml_to_text(xml: &str) -> Result<String, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut paragraph = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == b"w:t" => in_text = true,
            Ok(Event::End(e)) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    let trimmed = paragraph.trim();
                    if !trimmed.is_empty() {
                        if !out.is_empty() {
                            out.push_str("\n\n");
                        }
                        out.push_str(trimmed);
                    }
                    paragraph.clear();
                }
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.name().as_ref() {
                b"w:tab" => paragraph.push('\t'),
                b"w:br" | b"w:cr" => paragraph.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                let text = t.decode().map_err(|e| format!("bad text in XML: {e}"))?;
                let text = quick_xml::escape::unescape(&text)
                    .map_err(|e| format!("bad entity in XML: {e}"))?;
                paragraph.push_str(&text);
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                let name = r.decode().map_err(|e| format!("bad entity in XML: {e}"))?;
                let entity = format!("&{name};");
                let text = quick_xml::escape::unescape(&entity)
                    .map_err(|e| format!("bad entity in XML: {e}"))?;
                paragraph.push_str(&text);
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(format!(
                    "malformed XML at byte {}: {e}",
                    reader.error_position()
                ));
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_visible_text_only() {
        let html = "<html><head><title>标题</title><style>p{color:red}</style></head><body>\
                    <script>var x = '不要';</script><p>清徐县 <b>推进</b>项目。</p><div>第二段</div></body></html>";
        let text = html_to_text(html);
        assert_eq!(text, "标题\n\n清徐县 推进项目。\n\n第二段");
    }

    #[test]
    fn docx_paragraphs_are_kept() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>第一段</w:t></w:r><w:r><w:t xml:space="preserve"> 续 &amp; 完</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            document_xml_to_text(xml).unwrap(),
            "第一段 续 & 完\n\n第二段"
        );
    }
}
