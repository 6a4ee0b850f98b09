//! The layout of an article: which lines are headlines, interview sub-headlines, photo
//! captions, bylines and body paragraphs, and which body lines are one paragraph split by
//! a page break. Purely textual; the extractor decides which headings name a district.

use std::ops::Range;

/// What a paragraph is, judged from its shape alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphKind {
    /// A short line without closing punctuation: a headline or a section heading.
    Heading,
    /// A line opening with a dash, as in `——访清徐县委书记王剑峰`.
    Subheading,
    /// A photo caption (`… 记者 程婧 摄`).
    Caption,
    /// A reporter's or editor's credit (`记者 司勇`, `（以上由司勇编辑整理）`).
    Byline,
    Body,
}

/// A logical paragraph: one or more pieces of lines (byte ranges into the text) that
/// belong together because a page break split them mid-sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub kind: ParagraphKind,
    pub pieces: Vec<Range<usize>>,
}

impl Paragraph {
    /// Byte offset of the first character.
    pub fn start(&self) -> usize {
        self.pieces[0].start
    }

    /// The paragraph's text with the page breaks between pieces removed.
    pub fn joined(&self, text: &str) -> String {
        self.pieces.iter().map(|r| &text[r.clone()]).collect()
    }
}

/// The paragraphs of a text in reading order.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub paragraphs: Vec<Paragraph>,
}

const MAX_HEADING_CHARS: usize = 40;
const MAX_CAPTION_CHARS: usize = 80;

fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '；'
            | '…'
            | '”'
            | '’'
            | '」'
            | '』'
            | '）'
            | ')'
            | '.'
            | '!'
            | '?'
            | ';'
            | '：'
            | ':'
    )
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

impl Structure {
    /// Splits `text` into classified paragraphs and rejoins body lines split by page breaks.
    pub fn parse(text: &str) -> Structure {
        let pieces = pieces_of(text);
        let mut paragraphs: Vec<Paragraph> = Vec::new();
        // Index of a body paragraph that ended mid-sentence and may continue further down.
        let mut open_body: Option<usize> = None;
        for range in pieces {
            let piece = &text[range.clone()];
            let kind = classify(piece);
            match kind {
                ParagraphKind::Caption => {
                    // A caption dropped into a sentence does not end it.
                    paragraphs.push(Paragraph {
                        kind,
                        pieces: vec![range],
                    });
                    continue;
                }
                ParagraphKind::Body => {
                    if let Some(open) = open_body.take() {
                        paragraphs[open].pieces.push(range.clone());
                        if !ends_terminal(piece) {
                            open_body = Some(open);
                        }
                        continue;
                    }
                }
                _ => {}
            }
            open_body = None;
            paragraphs.push(Paragraph {
                kind,
                pieces: vec![range],
            });
            if kind == ParagraphKind::Body && !ends_terminal(piece) {
                open_body = Some(paragraphs.len() - 1);
            }
        }
        paragraphs.sort_by_key(Paragraph::start);
        Structure { paragraphs }
    }
}

fn ends_terminal(piece: &str) -> bool {
    piece.chars().next_back().is_none_or(is_terminal)
}

/// Non-empty trimmed pieces of lines. A line that holds several paragraphs separated by
/// runs of spaces after closing punctuation (as some sites export them) is split there.
fn pieces_of(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let line_end = line_start + line.len();
        let mut piece_start = line_start;
        let mut prev: Option<char> = None;
        let mut space_run_start: Option<usize> = None;
        let mut space_run_len = 0;
        for (i, c) in line.char_indices() {
            let at = line_start + i;
            if is_space(c) {
                if space_run_start.is_none() {
                    space_run_start = Some(at);
                    space_run_len = 0;
                }
                space_run_len += if c == '\u{3000}' { 2 } else { 1 };
                continue;
            }
            if let Some(run_start) = space_run_start.take()
                && space_run_len >= 2
                && prev.is_some_and(is_terminal)
            {
                push_trimmed(text, piece_start..run_start, &mut out);
                piece_start = at;
            }
            prev = Some(c);
        }
        push_trimmed(text, piece_start..line_end, &mut out);
        line_start = line_end + 1;
    }
    out
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let trimmed_start = slice.len() - slice.trim_start_matches(is_space).len();
    let trimmed = slice.trim_matches(is_space);
    if !trimmed.is_empty() {
        let start = range.start + trimmed_start;
        out.push(start..start + trimmed.len());
    }
}

/// Heading text without Markdown `#` marks and surrounding space.
pub fn heading_text(piece: &str) -> &str {
    piece.trim_start_matches('#').trim_matches(is_space)
}

fn classify(piece: &str) -> ParagraphKind {
    let content = heading_text(piece);
    let chars = content.chars().count();
    if content.starts_with('—') || content.starts_with("--") {
        return ParagraphKind::Subheading;
    }
    if is_byline(content) {
        return ParagraphKind::Byline;
    }
    let unbracketed = content.trim_end_matches([')', '）']);
    if chars <= MAX_CAPTION_CHARS && unbracketed.ends_with('摄') && !unbracketed.ends_with("拍摄")
    {
        return ParagraphKind::Caption;
    }
    if piece.starts_with('#')
        || (chars <= MAX_HEADING_CHARS
            && !ends_terminal(content)
            && !content.ends_with(['，', ',', '、'])
            && !content.contains('。'))
    {
        return ParagraphKind::Heading;
    }
    ParagraphKind::Body
}

fn is_byline(content: &str) -> bool {
    let inner = content
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）'])
        .trim();
    if inner.starts_with("以上由") && (inner.ends_with("整理") || inner.ends_with("编辑")) {
        return true;
    }
    let without_paper = inner
        .trim_start_matches("本报")
        .trim_start_matches("通讯员")
        .trim();
    if let Some(rest) = without_paper.strip_prefix("记者") {
        let names: Vec<&str> = rest
            .split([' ', '\u{3000}', '、'])
            .filter(|s| !s.is_empty())
            .collect();
        return !names.is_empty() && names.iter().all(|n| (2..=4).contains(&n.chars().count()));
    }
    false
}

/// The article's headline: its first heading, else the start of its first line.
pub fn title_of(text: &str) -> String {
    let structure = Structure::parse(text);
    // Markup left by a web page (`<!--repaste.body.begin-->`) and a bare wire timestamp
    // (`2015-02-02 17:21:16`) are never titles, though they stand alone like headings.
    let could_be_title = |p: &&Paragraph| {
        let line = heading_text(&text[p.pieces[0].clone()]).trim();
        !line.is_empty() && !is_markup(line) && !is_timestamp(line) && !names_reporters(line)
    };
    let first_heading = structure
        .paragraphs
        .iter()
        .take(6)
        .filter(could_be_title)
        .find(|p| p.kind == ParagraphKind::Heading)
        .or_else(|| structure.paragraphs.iter().find(could_be_title));
    let Some(paragraph) = first_heading else {
        return String::new();
    };
    // Markdown's bold markers around a CCTV headline (`**新疆特克斯：多彩山川**`) are
    // not part of it.
    let text = heading_text(&text[paragraph.pieces[0].clone()])
        .trim()
        .trim_matches('*')
        .trim();
    let mut title: String = text.chars().take(80).collect();
    if text.chars().nth(80).is_some() {
        title.push('…');
    }
    title
}

/// `新华社记者冯国栋、陈诺`, `本报记者 张三`: the reporters, not the story (a wider
/// reading than [`is_byline`], for titles only).
fn names_reporters(line: &str) -> bool {
    let rest = ["新华社记者", "本报记者", "本台记者", "记者"]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix));
    rest.is_some_and(|names| {
        let names = names.trim();
        names.chars().count() <= 16
            && names
                .chars()
                .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || "、 ·　，,".contains(c))
    })
}

fn is_markup(line: &str) -> bool {
    line.starts_with('<') && line.ends_with('>')
}

/// `2015-02-02 17:21:16`, `2015/2/2`, `2015年2月2日 17:21`: a date and time alone.
fn is_timestamp(line: &str) -> bool {
    timestamp_date(line).is_some()
}

/// The date of a line that is only a date and time (a wire story's timestamp), as
/// `YYYY-MM-DD`.
pub fn timestamp_date(line: &str) -> Option<String> {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let caps = PATTERN
        .get_or_init(|| {
            regex::Regex::new(
                r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$",
            )
            .expect("timestamp pattern compiles")
        })
        .captures(line.trim())?;
    let month: u32 = caps[2].parse().ok()?;
    let day: u32 = caps[3].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{}-{month:02}-{day:02}", &caps[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Titles seen wrong on the corpus: 151 CCTV stories titled with a markup comment,
    /// 129 Xinhua stories with their wire timestamp.
    #[test]
    fn markup_and_timestamps_are_never_titles() {
        assert_eq!(
            title_of("《求是》杂志发表重要讲话\n\n<!--repaste.body.begin-->\n\n央视网消息：正文。"),
            "《求是》杂志发表重要讲话"
        );
        assert_eq!(
            title_of("<!--repaste.body.begin-->\n\n央视网消息（新闻联播）：正文很长很长。"),
            "央视网消息（新闻联播）：正文很长很长。"
        );
        assert_eq!(
            title_of(
                "（国际）德法俄乌外长商讨和平解决乌克兰危机办法\n2015-01-22 12:16:02\n\n  新华社柏林1月22日电。"
            ),
            "（国际）德法俄乌外长商讨和平解决乌克兰危机办法"
        );
        assert_eq!(
            title_of("新华社记者冯国栋、陈诺\n\n韩海军前高官涉腐被查\n\n新华社消息，正文。"),
            "韩海军前高官涉腐被查"
        );
        assert!(!names_reporters(
            "记者从市发改委获悉，全市今年将建设十个重点项目"
        ));
        assert_eq!(
            title_of("**新疆特克斯：多彩山川 生态兴民**\n\n正文。"),
            "新疆特克斯：多彩山川 生态兴民"
        );
        assert!(is_timestamp("2015年2月2日 17:21"));
        assert!(!is_timestamp("2015年2月2日，全市召开大会"));
        assert_eq!(
            timestamp_date(" 2015-02-02 17:21:16").as_deref(),
            Some("2015-02-02")
        );
        assert_eq!(timestamp_date("2015/2/3").as_deref(), Some("2015-02-03"));
        assert_eq!(timestamp_date("2015-13-02 17:21"), None);
    }

    fn kinds(text: &str) -> Vec<(ParagraphKind, String)> {
        Structure::parse(text)
            .paragraphs
            .iter()
            .map(|p| (p.kind, p.joined(text)))
            .collect()
    }

    #[test]
    fn page_break_inside_a_sentence_is_rejoined() {
        let text = "积极布局抽水蓄能电站，玖方、丰源100兆瓦储能项目，这是一个很长的句子为了超过标题的长度限制而写得更长一些储\n\n能项目，新能源。\n\n小店区\n\n1月10日，小店区召开会议。";
        let got = kinds(text);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, ParagraphKind::Body);
        assert!(got[0].1.contains("储能项目"));
        assert_eq!(got[1], (ParagraphKind::Heading, "小店区".to_owned()));
    }

    #[test]
    fn caption_inside_a_sentence_does_not_break_it() {
        let text = "作为晋中的经济大市、工业强市，过去一年，介休经济社会发展取得良好成绩，是市委战略举措的精\n\n晋中国家农高区全景 记者 程婧 摄\n\n准落实。报告中的工作与介休发展息息相关。";
        let got = kinds(text);
        assert_eq!(got[0].0, ParagraphKind::Body);
        assert!(got[0].1.contains("的精准落实"));
        assert_eq!(got[1].0, ParagraphKind::Caption);
    }

    #[test]
    fn headings_subheadings_and_bylines() {
        let text = "高质量新引擎助推清徐全方位发展\n\n——访市人大常委会副主任、清徐县委书记王剑峰\n\n王剑峰表示，今年清徐县要打好“七大仗”，迎接党的二十大胜利召开。记者 司勇\n\n记者 徐方伟\n\n（以上由司勇编辑整理）";
        let got: Vec<_> = kinds(text).into_iter().map(|(k, _)| k).collect();
        use ParagraphKind::*;
        assert_eq!(got, vec![Heading, Subheading, Body, Byline, Byline]);
    }

    #[test]
    fn paragraphs_run_together_on_one_line_are_split() {
        let text = "  第一段的内容写完了。  “第二段开始了，”他说。";
        let got = kinds(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].1, "“第二段开始了，”他说。");
    }

    #[test]
    fn title_is_the_first_heading() {
        assert_eq!(
            title_of("\n\n蓝佛安在晋城调研时强调\n\n# 巩固良好态势\n\n正文。"),
            "蓝佛安在晋城调研时强调"
        );
    }
}
