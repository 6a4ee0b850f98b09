//! Projects: concrete named undertakings (GUIDELINES §6). Candidates are noun phrases
//! that end in a project word (项目, 工程) or a facility head (产业园, 基地, 景区, …),
//! cut on the left where a governing verb, preposition or conjunction stands (by the
//! segmenter's part-of-speech tags and a list of governing verbs), with trailing action
//! nouns (建设, 改造, …) stripped. Enumerations are split: `A、B等项目` gives each member;
//! `A、B + head` distributes the head (`玖方、丰源100兆瓦储能项目`).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::district::Places;
use super::text::Chunk;
use super::{TagCache, Token, UNSEGMENTED};

const GENERIC_WORDS_TXT: &str = include_str!("../../assets/generic_words.txt");
const LEAD_VERBS_TXT: &str = include_str!("../../assets/lead_verbs.txt");

/// Heads that make a noun phrase a project or facility, longest first.
const HEADS: &[&str] = &[
    "项目二期",
    "项目一期",
    "项目三期",
    "项目",
    "工程",
    "产业园区",
    "产业园",
    "工业园区",
    "工业园",
    "科技园",
    "物流园",
    "创意园",
    "园区",
    "总部基地",
    "基地",
    "总部",
    "交易中心",
    "创新中心",
    "中心",
    "国防城",
    "科创城",
    "大学城",
    "卫星城",
    "新城",
    "水城",
    "古县城",
    "度假区",
    "景区",
    "校区",
    "院区",
    "分校",
    "历史街区",
    "商业街区",
    "街区",
    "商圈",
    "综合体",
    "特色小镇",
    "小镇",
    "煤矿",
    "矿井",
    "电站",
    "电厂",
    "采气厂",
    "大桥",
    "枢纽",
    "片区",
    "智谷",
    "科创谷",
    "集聚区",
    "物流港",
    "机场",
    "高速公路",
    "高速铁路",
    "铁路",
    "高铁",
    "高速",
    "通道",
    "副中心",
    "乐园",
    "广场",
    "隧道",
    "水库",
    "小学",
    "中学",
    "附中",
    "附小",
    "二期",
    "三期",
    "奥莱",
    "专业镇",
];

/// Action nouns stripped from the end of a name (`府城文道改造` → `府城文道`).
const TRAILING_ACTIONS: &[&str] = &[
    "综合开发改造",
    "提档升级",
    "扩容提质",
    "提质升级",
    "建设",
    "改造",
    "创建",
    "落地",
    "升级",
    "提升",
    "开工",
    "实施",
    "推进",
    "建成通车",
    "通车",
    "全面完成",
    "顺利完成",
    "完成",
    "竣工",
    "投产",
];

/// Parts of a works named after it (`引江补汉工程主隧洞`): the works is the project.
const COMPONENTS: &[&str] = &["主隧洞", "隧洞", "主体", "标段", "主线"];

/// Action nouns that mark a member of a `…等重点工作` list as an undertaking.
const UNDERTAKING_ENDINGS: &[&str] = &["建设", "搬迁", "扩区", "改造", "创建"];

/// Categories after `等` that make the listed members projects.
const PROJECT_CATEGORIES: &[&str] = &[
    "项目",
    "工程",
    "产业园",
    "园区",
    "基地",
    "矿井",
    "煤矿",
    "商圈",
    "街区",
    "综合体",
    "景区",
    "小镇",
    "校区",
    "新城",
];

/// Time words that open or close a clause, never part of a name.
const TIME_ADVERBIALS: &[&str] = &[
    "目前",
    "当前",
    "现在",
    "如今",
    "今年",
    "去年",
    "明年",
    "今年底",
    "今年初",
    "年底",
    "年初",
    "上半年",
    "下半年",
    "近年",
    "近年来",
    "近日",
    "日前",
    "此前",
    "今后",
    "届时",
    "今天",
    "昨天",
    "明天",
    "当天",
    "同期",
    "以来",
];

/// Classifiers that count things (`3所`, `20个`), as opposed to units of capacity.
const COUNTING_CLASSIFIERS: &str = "所个家座条项批大处";

/// A project found in a chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectMention {
    pub chunk: usize,
    /// Verbatim span in the chunk (an enumeration member as written).
    pub bytes: Range<usize>,
    /// Full name: the span itself, or the reconstructed name of an enumeration member.
    pub name: String,
    pub capacity: Option<String>,
    /// Index into `Places::mentions` of a district written right before the name.
    pub locator: Option<usize>,
    /// Which rule proposed it (a feature for the scorer).
    pub rule: &'static str,
    /// A place the sentence puts the project in after its name (`…在吉林省东丰县开工`),
    /// for when `locator` is above county level.
    pub locator_after: Option<usize>,
    /// A road, railway or line: it crosses counties, so it belongs to a county only
    /// when the text says it starts at or passes through one, never by context.
    pub is_line: bool,
}

/// Heads of roads, railways and lines, which cross county borders.
const LINE_HEADS: &[&str] = &["高速公路", "高速铁路", "铁路", "高铁", "高速", "通道", "段"];

struct Lexicon {
    generic: HashSet<&'static str>,
    lead: HashSet<&'static str>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let words = |text: &'static str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect::<HashSet<_>>()
        };
        Lexicon {
            generic: words(GENERIC_WORDS_TXT),
            lead: words(LEAD_VERBS_TXT),
        }
    })
}

fn capacity_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"(?:[0-9０-９.]+(?:[×xX*＊][0-9０-９.]+)?(?:万|千|百|亿)?|万|千)(?:兆瓦|千瓦|MW|GW|kW|KW|万吨|吨|立方米|只|头|亩|床位|张床)")
            .expect("capacity pattern compiles")
    })
}

/// Compiles each of the rules' small patterns once.
fn cached(pattern: &'static str) -> &'static Regex {
    static CACHE: OnceLock<
        std::sync::Mutex<std::collections::HashMap<&'static str, &'static Regex>>,
    > = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.entry(pattern).or_insert_with(|| {
        Box::leak(Box::new(
            Regex::new(pattern).expect("rule pattern compiles"),
        ))
    })
}

fn leading_rating_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"^[AＡ]{2,5}级").expect("rating pattern compiles"))
}

fn rating_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"[AＡ]{2,5}级$").expect("rating pattern compiles"))
}

fn is_punct(word: &str) -> bool {
    word.chars().all(|c| {
        matches!(
            c,
            '，' | '。'
                | '；'
                | '：'
                | '！'
                | '？'
                | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '（'
                | '）'
                | '('
                | ')'
                | '《'
                | '》'
                | ' '
                | '\u{3000}'
        )
    })
}

fn is_separator(word: &str) -> bool {
    matches!(word, "、" | "和" | "及" | "以及" | "与")
}

fn is_quote(word: &str) -> bool {
    word.chars()
        .all(|c| matches!(c, '“' | '”' | '‘' | '’' | '"' | '\''))
}

/// Tags of words that can name one end of a route (`寻乌到广东龙川高速公路`,
/// `沪蓉高速宜昌至恩施巴东段`): places, abbreviations, proper nouns.
fn is_route_end(token: Option<&Token>) -> bool {
    token.is_some_and(|t| {
        matches!(t.tag, "ns" | "nr" | "nz" | "j") || (t.tag == "n" && t.word.chars().count() <= 3)
    })
}

/// Does this token stop a name growing further left?
fn is_boundary(token: &Token, left: Option<&Token>, right: Option<&Token>) -> bool {
    let lex = lexicon();
    // A route between two named places: 寻乌到广东龙川高速公路, 宜昌至恩施巴东段.
    if matches!(token.word, "到" | "至")
        && left.is_some_and(|l| matches!(l.tag, "ns" | "nr" | "nz" | "j"))
        && is_route_end(right)
    {
        return false;
    }
    // 沪蓉高速宜昌至…: the expressway's abbreviation, not the adverb 高速(发展).
    if token.word == "高速"
        && left.is_some_and(|l| matches!(l.tag, "ns" | "nz" | "j"))
        && right.is_some_and(|r| r.tag == "ns")
    {
        return false;
    }
    // 煤直接液化项目: an adverb between a noun and the verbal noun it qualifies.
    if token.tag == "ad"
        && left.is_some_and(|l| l.tag.starts_with('n'))
        && right.is_some_and(|r| r.tag == "vn")
    {
        return false;
    }
    if is_punct(token.word) || is_separator(token.word) || lex.lead.contains(token.word) {
        return true;
    }
    let tag = token.tag;
    // Time adverbials (目前, 今年) never belong to a name; other time nouns may
    // (现代农业产业园).
    if tag == "t" && TIME_ADVERBIALS.contains(&token.word) {
        return true;
    }
    if matches!(
        tag,
        "p" | "c"
            | "u"
            | "uj"
            | "ul"
            | "uz"
            | "ug"
            | "uv"
            | "ud"
            | "r"
            | "d"
            | "ad"
            | "y"
            | "e"
            | "o"
            | "zg"
    ) {
        // 至 inside road extensions: 汾河东路南延至清徐大道.
        if token.word == "至" && left.is_some_and(|l| l.word.ends_with('延')) {
            return false;
        }
        return true;
    }
    if tag.starts_with('v') {
        // A verb inside a name follows other name material (阿里云创新中心); one at the
        // left edge governs the name.
        // An adverb kept inside the name (煤直接液化) carries the name on to its verb.
        return !left.is_some_and(|l| {
            (is_nominal(l.tag) && !lex.lead.contains(l.word) && !is_punct(l.word))
                || (l.tag == "ad" && tag == "vn")
        });
    }
    is_count(token)
}

/// 3所, 20个, 140多个: a count of things, not part of their name.
fn is_count(token: &Token) -> bool {
    if token.tag != "q" && token.tag != "m" {
        return false;
    }
    if token.word.chars().all(|c| COUNTING_CLASSIFIERS.contains(c)) {
        return true;
    }
    token.word.chars().last().is_some_and(|last| {
        COUNTING_CLASSIFIERS.contains(last)
            && token.word.chars().count() > 1
            && token
                .word
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十两几多".contains(c))
    })
}

fn is_nominal(tag: &str) -> bool {
    tag.starts_with('n')
        || matches!(
            tag,
            "m" | "q"
                | "eng"
                | "x"
                | "j"
                | "b"
                | "f"
                | "a"
                | "s"
                | "l"
                | "i"
                | "vn"
                | "an"
                | "g"
                | "k"
                | "h"
        )
}

/// Whether a text holds any project head.
fn has_any_head(text: &str) -> bool {
    static HEAD_FINDER: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    HEAD_FINDER
        .get_or_init(|| aho_corasick::AhoCorasick::new(HEADS).expect("heads compile"))
        .is_match(text)
}

/// Finds the projects of a document.
pub fn find_projects(tags: &TagCache, chunks: &[Chunk], places: &Places) -> Vec<ProjectMention> {
    let mut out = Vec::new();
    for (chunk_index, chunk) in chunks.iter().enumerate() {
        if !has_any_head(&chunk.text) {
            continue;
        }
        let tagged = tags.tokens(chunk_index, has_any_head);
        let mut tokens = Vec::with_capacity(tagged.len());
        for t in tagged {
            let at = t.range.start;
            // The segmenter sometimes glues 等 to the word before it (城等/u).
            if t.word.len() > '等'.len_utf8() && t.word.ends_with('等') && t.tag.starts_with('u')
            {
                let stem = &t.word[..t.word.len() - '等'.len_utf8()];
                tokens.push(Token {
                    word: stem,
                    tag: "n",
                    range: at..at + stem.len(),
                });
                tokens.push(Token {
                    word: "等",
                    tag: "u",
                    range: at + stem.len()..at + t.word.len(),
                });
            } else {
                tokens.push(t);
            }
        }
        let place_ranges: Vec<(usize, Range<usize>)> = places
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.chunk == chunk_index)
            .map(|(i, m)| (i, m.bytes.clone()))
            .collect();
        for clause in clauses(&tokens) {
            find_in_clause(chunk, chunk_index, &tokens[clause], &place_ranges, &mut out);
        }
    }
    out
}

/// Token ranges of clauses: split at clause punctuation. Sentences left unsegmented
/// (they hold no head, hence no project) are dropped.
fn clauses(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.tag == UNSEGMENTED
            || matches!(
                t.word,
                "，" | "。" | "；" | "：" | "！" | "？" | "," | ";" | ":" | "!" | "?"
            )
        {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// A noun phrase of the clause: token index range, plus its text range in the chunk.
#[derive(Debug, Clone)]
struct Phrase {
    tokens: Range<usize>,
    bytes: Range<usize>,
}

fn find_in_clause(
    chunk: &Chunk,
    chunk_index: usize,
    tokens: &[Token],
    place_ranges: &[(usize, Range<usize>)],
    out: &mut Vec<ProjectMention>,
) {
    let text = chunk.text.as_str();
    let clause_bytes = tokens.first().map(|t| t.range.start).unwrap_or(0)
        ..tokens.last().map(|t| t.range.end).unwrap_or(0);
    let clause = &text[clause_bytes.clone()];
    // Members of an enumeration: runs of name material separated by 、/和/及.
    let members = member_phrases(tokens);
    if members.is_empty() {
        return;
    }
    let deng = tokens.iter().position(|t| t.word == "等");
    let aggregate = clause.contains("一批") || clause.contains("一系列");
    let mut emitted: Vec<ProjectMention> = Vec::new();
    // `A、B、C等 category`: members are projects when the category is one.
    if let Some(deng_at) = deng {
        let category: String = tokens[deng_at + 1..]
            .iter()
            .take_while(|t| !is_punct(t.word))
            .map(|t| t.word)
            .collect();
        // The category word must come first or after a short qualifier (等重点项目,
        // 等“六大商圈”); after a description (等金属冶炼及深加工项目, 等…重点领域和民生工程)
        // the members are kinds of the description (铝、钛), not names.
        let project_category = PROJECT_CATEGORIES
            .iter()
            .filter_map(|c| category.find(c))
            .min()
            .is_some_and(|at| {
                category[..at]
                    .chars()
                    .filter(|c| !matches!(c, '“' | '”' | '‘' | '’' | '"'))
                    .count()
                    <= 4
            })
            && !category.contains("平台建设");
        let listed: Vec<&Phrase> = members.iter().filter(|m| m.tokens.end <= deng_at).collect();
        let contiguous = listed.last().is_some_and(|m| {
            m.tokens.end == deng_at
                || tokens[m.tokens.end..deng_at]
                    .iter()
                    .all(|t| is_quote(t.word))
        });
        if contiguous && !aggregate {
            for member in &listed {
                let Some(span) = trim_phrase(text, tokens, member) else {
                    continue;
                };
                let name = &text[span.clone()];
                let undertaking = UNDERTAKING_ENDINGS
                    .iter()
                    .any(|e| text[member.bytes.clone()].ends_with(e))
                    && has_proper_name(tokens, &span, place_ranges);
                if !(project_category || has_head(name) || undertaking)
                    || is_generic(name, tokens, &span, place_ranges)
                {
                    continue;
                }
                if rejected_by_context(text, &span) {
                    continue;
                }
                emitted.push(mention(
                    "rule=listed_before_category",
                    chunk_index,
                    span,
                    name.to_owned(),
                    place_ranges,
                ));
            }
        }
    }
    let handled_until = if emitted.is_empty() {
        0
    } else {
        deng.unwrap_or(0)
    };
    // Phrases with their own head; shared heads distributed over bare members before them.
    let mut pending_bare: Vec<Range<usize>> = Vec::new();
    for member in members.iter().filter(|m| m.tokens.start >= handled_until) {
        let Some(span) = trim_phrase(text, tokens, member) else {
            pending_bare.clear();
            continue;
        };
        let name = &text[span.clone()];
        if !has_head(name) {
            let separated_next = tokens
                .get(member.tokens.end)
                .is_some_and(|t| is_separator(t.word));
            if separated_next && name.chars().count() <= 12 {
                pending_bare.push(span);
            } else {
                pending_bare.clear();
            }
            continue;
        }
        // 引进140多个大湾区项目: what is counted is a category, not one project.
        let counted = member.tokens.start > 0 && is_count(&tokens[member.tokens.start - 1]);
        if starts_with_count(name)
            || counted
            || is_generic(name, tokens, &span, place_ranges)
            || is_whole_quote(name)
            || is_place_only(name, &span, place_ranges)
            || rejected_by_context(text, &span)
        {
            pending_bare.clear();
            continue;
        }
        if !pending_bare.is_empty()
            && let Some(head) = shared_head(text, tokens, &span, place_ranges)
        {
            for bare in pending_bare.drain(..) {
                let bare_text = &text[bare.clone()];
                let mut shared = head.clone();
                if rating_pattern().is_match(bare_text)
                    && let Some(m) = leading_rating_pattern().find(&shared).map(|m| m.end())
                {
                    shared = shared[m..].to_owned();
                }
                let full = format!("{bare_text}{shared}");
                emitted.push(mention(
                    "rule=shared_head",
                    chunk_index,
                    bare,
                    full,
                    place_ranges,
                ));
            }
        }
        pending_bare.clear();
        emitted.push(mention(
            "rule=own_head",
            chunk_index,
            span,
            name.to_owned(),
            place_ranges,
        ));
    }
    // `X是…项目`: the subject of a sentence that calls it a project.
    if let Some(shi) = tokens.iter().position(|t| t.word == "是")
        && clause.ends_with("项目")
        && shi > 0
        && let Some(subject) = members.iter().find(|m| m.tokens.end == shi)
        && let Some(span) = trim_phrase(text, tokens, subject)
        && !is_generic(&text[span.clone()], tokens, &span, place_ranges)
        && !emitted.iter().any(|e| e.bytes == span)
    {
        emitted.push(mention(
            "rule=called_a_project",
            chunk_index,
            span.clone(),
            text[span].to_owned(),
            place_ranges,
        ));
    }
    for mut m in emitted {
        if out.iter().any(|o: &ProjectMention| {
            o.chunk == m.chunk && o.bytes.start < m.bytes.end && m.bytes.start < o.bytes.end
        }) {
            continue;
        }
        if m.capacity.is_none() {
            m.capacity = capacity_of(&m.name);
        }
        if m.is_line {
            m.locator = m
                .locator
                .or_else(|| passes_through(text, &m.bytes, place_ranges));
        } else {
            m.locator = m
                .locator
                .or_else(|| locator_before(text, &m.bytes, place_ranges));
            m.locator_after = locator_after(text, &m.bytes, place_ranges);
        }
        out.push(m);
    }
}

fn mention(
    rule: &'static str,
    chunk: usize,
    bytes: Range<usize>,
    name: String,
    place_ranges: &[(usize, Range<usize>)],
) -> ProjectMention {
    let locator = place_ranges
        .iter()
        .find(|(_, r)| r.start == bytes.start && r.end < bytes.end)
        .map(|(i, _)| *i);
    let is_line = head_of(&name).is_some_and(|h| LINE_HEADS.contains(&h));
    ProjectMention {
        chunk,
        bytes,
        name,
        capacity: None,
        locator,
        rule,
        locator_after: None,
        is_line,
    }
}

/// `在陵川县王莽岭景区`: a district written just before the name locates it.
fn locator_before(
    text: &str,
    bytes: &Range<usize>,
    place_ranges: &[(usize, Range<usize>)],
) -> Option<usize> {
    place_ranges
        .iter()
        .find(|(_, r)| {
            r.end == bytes.start
                || (r.end < bytes.start && text[r.end..bytes.start].chars().count() <= 1)
        })
        .map(|(i, _)| *i)
}

/// `吉林水网骨干工程在吉林省东丰县…开工`, `上海迪士尼项目是…，位于上海国际旅游度假区`:
/// a place the sentence puts the project in, after its name. The innermost of the
/// places written together (东丰县 of 吉林省东丰县).
fn locator_after(
    text: &str,
    bytes: &Range<usize>,
    place_ranges: &[(usize, Range<usize>)],
) -> Option<usize> {
    let rest = &text[bytes.end..];
    let sentence_end = rest.find(['。', '！', '？', '；']).unwrap_or(rest.len());
    let sentence = &rest[..sentence_end];
    let at = if sentence.starts_with('在') {
        bytes.end + '在'.len_utf8()
    } else {
        bytes.end + sentence.find("位于")? + "位于".len()
    };
    innermost_place_at(at, place_ranges)
}

/// `瑞金经寻乌到梅州的瑞梅铁路`: the place a line is said to pass through, in the
/// clause before its name.
fn passes_through(
    text: &str,
    bytes: &Range<usize>,
    place_ranges: &[(usize, Range<usize>)],
) -> Option<usize> {
    let before = &text[..bytes.start];
    let clause_start = before
        .rfind(['，', '。', '；', '：'])
        .map(|i| i + before[i..].chars().next().map_or(0, char::len_utf8))
        .unwrap_or(0);
    let clause = &before[clause_start..];
    if !clause.ends_with('的') {
        return None;
    }
    let at = clause_start + clause.find('经')? + '经'.len_utf8();
    innermost_place_at(at, place_ranges)
}

/// The last of the places written one after another from byte `at` (吉林省|东丰县).
fn innermost_place_at(mut at: usize, place_ranges: &[(usize, Range<usize>)]) -> Option<usize> {
    let mut found = None;
    while let Some((index, range)) = place_ranges.iter().find(|(_, r)| r.start == at) {
        found = Some(*index);
        at = range.end;
    }
    found
}

/// Maximal runs of name material, split at separators, boundaries and punctuation.
fn member_phrases(tokens: &[Token]) -> Vec<Phrase> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, token) in tokens.iter().enumerate() {
        let left = if i > 0 { tokens.get(i - 1) } else { None };
        let left = if start.is_some() { left } else { None };
        // `国家重大水利工程——南水北调…`: a dash after a head sets a category apart
        // from the name it introduces (but joins two places: 晋祠——天龙山).
        let appositive_dash =
            is_dash(token.word) && start.is_some_and(|s| has_any_head_at_end(&tokens[s..i]));
        let boundary =
            is_boundary(token, left, tokens.get(i + 1)) || token.word == "等" || appositive_dash;
        if boundary {
            if let Some(s) = start.take() {
                out.push(phrase(tokens, s..i));
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(phrase(tokens, s..tokens.len()));
    }
    out
}

fn is_dash(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| matches!(c, '—' | '－' | '-'))
}

/// Whether the words end with a project head (`…水利工程`).
fn has_any_head_at_end(tokens: &[Token]) -> bool {
    let words: String = tokens.iter().map(|t| t.word).collect();
    has_head(&words)
}

fn phrase(tokens: &[Token], range: Range<usize>) -> Phrase {
    Phrase {
        bytes: tokens[range.start].range.start..tokens[range.end - 1].range.end,
        tokens: range,
    }
}

/// The name inside a phrase: leading adverbs and verbs and trailing action nouns cut,
/// unbalanced quotes dropped.
fn trim_phrase(text: &str, tokens: &[Token], phrase: &Phrase) -> Option<Range<usize>> {
    let lex = lexicon();
    let mut first = phrase.tokens.start;
    while first < phrase.tokens.end
        && (lex.lead.contains(tokens[first].word)
            || matches!(tokens[first].tag, "d" | "ad" | "c" | "p" | "r" | "uj")
            || tokens[first]
                .word
                .chars()
                .all(|c| matches!(c, '—' | '－' | '-' | '·' | '…' | '　' | ' ' | '*')))
    {
        first += 1;
    }
    if first >= phrase.tokens.end {
        return None;
    }
    // A verb after the name is the predicate (上海迪士尼乐园看到), not part of it.
    let mut last = phrase.tokens.end;
    while last > first + 1
        && tokens[last - 1].tag.starts_with('v')
        && tokens[last - 1].tag != "vn"
        // 特高压通道/v: the segmenter tags some heads as verbs.
        && !HEADS.contains(&tokens[last - 1].word)
    {
        last -= 1;
    }
    let mut start = tokens[first].range.start;
    let mut end = tokens[last - 1].range.end;
    loop {
        let name = &text[start..end];
        if let Some(action) = TRAILING_ACTIONS
            .iter()
            .find(|a| name.ends_with(**a) && name.len() > a.len())
        {
            end -= action.len();
        } else if let Some(part) = COMPONENTS.iter().find(|p| {
            name.strip_suffix(**p)
                .is_some_and(|rest| rest.ends_with("工程") || rest.ends_with("项目"))
        }) {
            end -= part.len();
        } else {
            break;
        }
    }
    // Counting words before a shared category (三大) never belong to a name.
    let name = &text[start..end];
    if name.is_empty() {
        return None;
    }
    // Balance quotes: drop a leading opener without closer, or a trailing closer without opener.
    let opens = name.matches(['“', '‘']).count();
    let closes = name.matches(['”', '’']).count();
    if opens > closes && name.starts_with(['“', '‘']) {
        start += name.chars().next().map(char::len_utf8).unwrap_or(0);
    } else if closes > opens && name.ends_with(['”', '’']) {
        end -= name.chars().next_back().map(char::len_utf8).unwrap_or(0);
    }
    (end > start).then_some(start..end)
}

/// The head a project name ends with (`铁路` of 瑞梅铁路), if any.
pub fn head_of(name: &str) -> Option<&'static str> {
    HEADS
        .iter()
        .copied()
        .filter(|h| name.ends_with(h) && name.chars().count() > h.chars().count())
        .max_by_key(|h| h.len())
        .or_else(|| (is_route(name) && name.ends_with('段')).then_some("段"))
}

/// A road, railway or line named by its two ends (`寻乌到广东龙川高速公路`,
/// `沪蓉高速宜昌至恩施巴东段`): a proper name even when both ends are places, and
/// located by the story it is in rather than by either end.
fn is_route(name: &str) -> bool {
    cached(r"^[^至到]{2,}[至到][^至到]{2,}(高速公路|高速|铁路|高铁|公路|通道|段|线)$")
        .is_match(name)
}

fn has_head(name: &str) -> bool {
    head_of(name).is_some()
}

fn starts_with_count(name: &str) -> bool {
    [
        "首个",
        "一批",
        "一个",
        "这个",
        "该",
        "其他",
        "其它",
        "各个",
        "多个",
        "两个",
        "一些",
        "众多",
        "诸多",
        "多项",
        "新一轮",
        "一系列",
    ]
    .iter()
    .any(|p| name.starts_with(p))
        || cached(r"^[0-9一二三四五六七八九十两]+[个大项座所家条批]").is_match(name)
}

fn is_whole_quote(name: &str) -> bool {
    (name.starts_with('“') && name.ends_with('”') && name.matches('“').count() == 1)
        || (name.starts_with('‘') && name.ends_with('’') && name.matches('‘').count() == 1)
}

/// A district or zone name alone (中北高新区) is a place, not a project.
fn is_place_only(name: &str, span: &Range<usize>, place_ranges: &[(usize, Range<usize>)]) -> bool {
    place_ranges
        .iter()
        .any(|(_, r)| r.start <= span.start && r.end >= span.end)
        || name.ends_with("高新区") && name.chars().count() <= 6
}

/// Tokens of the span, clipped to it.
fn tokens_in<'a>(
    tokens: &'a [Token<'a>],
    span: &Range<usize>,
) -> impl Iterator<Item = &'a Token<'a>> {
    tokens
        .iter()
        .filter(move |t| t.range.start >= span.start && t.range.end <= span.end)
}

/// A category rather than a name (GUIDELINES §6.2): nothing in it but generic words,
/// numbers, places and verbs once the head is set aside (`重大基础设施项目`,
/// `优质教育资源分校`), or a quoted numbered slogan (`“五治提升”工程`).
fn is_generic(
    name: &str,
    tokens: &[Token],
    span: &Range<usize>,
    place_ranges: &[(usize, Range<usize>)],
) -> bool {
    let lex = lexicon();
    let mut rest_end = span.end;
    loop {
        let rest = &name[..rest_end - span.start];
        let Some(head) = HEADS
            .iter()
            .find(|h| rest.ends_with(**h) && rest.len() > h.len())
        else {
            break;
        };
        rest_end -= head.len();
    }
    let rest = &name[..rest_end - span.start];
    if rest.is_empty() || lex.generic.contains(rest) {
        return true;
    }
    if is_route(name) {
        return false;
    }
    let quoted = (rest.starts_with('“') && rest.ends_with('”'))
        || (rest.starts_with('‘') && rest.ends_with('’'));
    if quoted
        && rest
            .chars()
            .any(|c| c.is_ascii_digit() || "一二三四五六七八九十百千万两".contains(c))
    {
        return true;
    }
    if !rest
        .chars()
        .any(|c| is_han_char(c) || c.is_ascii_alphabetic())
    {
        return true;
    }
    let distinguishing = tokens
        .iter()
        .filter(|t| t.range.start < rest_end && t.range.end > span.start)
        .any(|t| {
            let in_place = place_ranges
                .iter()
                .any(|(_, r)| r.start <= t.range.start && t.range.end <= r.end);
            let nominal = t.tag.starts_with('n')
                || matches!(t.tag, "eng" | "x" | "j" | "g" | "s" | "l" | "i" | "k" | "h")
                || (t.tag == "f" && t.word.chars().count() >= 2);
            let number = t.tag == "m"
                && t.word.chars().any(|c| c.is_ascii_digit())
                && t.word.chars().count() >= 3;
            (nominal || number)
                && !in_place
                && !lex.generic.contains(t.word)
                && !is_quote(t.word)
                && !is_rating(t.word)
        });
    !distinguishing
}

fn is_han_char(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_rating(word: &str) -> bool {
    word.chars().all(|c| matches!(c, 'A' | 'Ａ' | '级')) || cached(r"^[0-9]+A$").is_match(word)
}

/// The head that the earlier members of an enumeration share with its last member: what
/// follows the last member's distinguishing name (`丰源|100兆瓦储能项目`, `朝阳|传统商圈`,
/// `市实验小学|晋源校区`). `None` unless a descriptor (number, rating, place, category
/// word) stands before the final head noun, as in every shared-head list; a bare head
/// (`…堡垒战、职教园区`) is not shared.
fn shared_head(
    text: &str,
    tokens: &[Token],
    span: &Range<usize>,
    place_ranges: &[(usize, Range<usize>)],
) -> Option<String> {
    let lex = lexicon();
    let mut name_end = span.start;
    for token in tokens_in(tokens, span) {
        let is_place = place_ranges
            .iter()
            .any(|(_, r)| r.start == token.range.start);
        let descriptor = lex.generic.contains(token.word)
            || token.word == "城市更新"
            || matches!(token.tag, "m" | "q")
            || token
                .word
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
            || token.word.starts_with(['A', 'Ａ'])
            || is_place
            || token.word == "城市";
        if descriptor && name_end > span.start {
            break;
        }
        name_end = token.range.end;
    }
    if name_end == span.start {
        return None;
    }
    let mut head = text[name_end..span.end].to_owned();
    if HEADS.iter().any(|h| head == *h) {
        return None;
    }
    // Counting words: 城市更新三大片区 → 城市更新片区.
    head = cached(r"[一二三四五六七八九十两0-9]+大")
        .replace_all(&head, "")
        .into_owned();
    Some(head)
}

/// Does the span hold a proper name: a person, place, organisation or other proper noun,
/// a Latin word or a number?
fn has_proper_name(
    tokens: &[Token],
    span: &Range<usize>,
    place_ranges: &[(usize, Range<usize>)],
) -> bool {
    tokens_in(tokens, span).any(|t| {
        matches!(t.tag, "nr" | "nrt" | "nrfg" | "ns" | "nt" | "nz" | "eng")
            || t.word.chars().any(|c| c.is_ascii_digit())
    }) || place_ranges
        .iter()
        .any(|(_, r)| r.start >= span.start && r.end <= span.end)
}

/// Context that makes a noun phrase something other than a project: inside brackets
/// (an aside, `市人民医院（晋源院区）`), a predicate description (`晋城是全国最大的
/// 煤层气生产基地`), or text that starts with a closing quote.
fn rejected_by_context(text: &str, span: &Range<usize>) -> bool {
    let before = &text[..span.start];
    let after = &text[span.end..];
    let name = &text[span.clone()];
    if name.starts_with(['”', '’']) || name.ends_with(['的', '“', '‘']) {
        return true;
    }
    if before.ends_with(['（', '(']) && after.starts_with(['）', ')']) {
        return true;
    }
    let clause_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '，' | '。' | '；' | ',' | ';'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let clause_before = &before[clause_start..];
    before.ends_with('的') && clause_before.contains('是') && !clause_before.contains("总投资")
}

fn capacity_of(name: &str) -> Option<String> {
    capacity_pattern().find(name).map(|m| m.as_str().to_owned())
}

/// How an amount relates to a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountLink {
    /// Index into the projects slice.
    pub project: usize,
    /// The amount is the project's stated investment (not, say, its tax revenue).
    pub is_investment: bool,
}

/// Links an amount to the single project its sentence is about, if there is one:
/// `总投资140亿元的光伏产业龙头项目`, or `该项目…项目估算总投资8.16亿元` after the
/// project was named. Aggregates (`63亿元20个产业项目`, `签约项目11个`) link to none.
pub fn link_amount(
    chunks: &[Chunk],
    chunk_index: usize,
    bytes: &Range<usize>,
    projects: &[ProjectMention],
) -> Option<AmountLink> {
    let text = chunks[chunk_index].text.as_str();
    let sentence = sentence_around(text, bytes.start);
    let sentence_text = &text[sentence.clone()];
    let before = &text[sentence.start..bytes.start];
    let after = &text[bytes.end..sentence.end];
    // `63亿元20个产业项目`: a count of projects right after the amount.
    let count_follows =
        cached(r"^[^，。；,;]{0,6}?[0-9一二三四五六七八九十两多]+个").is_match(after);
    let aggregate_clause =
        cached(r"项目[0-9一二三四五六七八九十]+个|签约项目|等项目|等重点项目|一批")
            .is_match(clause_around(text, bytes));
    let aggregate = count_follows || aggregate_clause;
    if aggregate {
        return None;
    }
    let investment_words = ["总投资", "投资", "投入", "估算", "计划投资"];
    let is_investment = investment_words.iter().any(|w| {
        before.ends_with(w)
            || before
                .trim_end_matches(['约', '达', '为', '了'])
                .ends_with(w)
    });
    // The project right after `…元的`.
    if after.starts_with('的')
        && let Some(index) = projects
            .iter()
            .position(|p| p.chunk == chunk_index && p.bytes.start == bytes.end + '的'.len_utf8())
    {
        return Some(AmountLink {
            project: index,
            is_investment,
        });
    }
    let in_sentence: Vec<usize> = projects
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.chunk == chunk_index && p.bytes.start >= sentence.start && p.bytes.end <= sentence.end
        })
        .map(|(i, _)| i)
        .collect();
    if in_sentence.len() == 1 {
        return Some(AmountLink {
            project: in_sentence[0],
            is_investment,
        });
    }
    if !in_sentence.is_empty() {
        return None;
    }
    // Anaphora: a sentence about "the project" refers to the last one named before it
    // in the same paragraph.
    let anaphoric = ["该项目", "项目", "此项目", "这一项目", "其中"]
        .iter()
        .any(|a| sentence_text.starts_with(a))
        || before.contains("项目");
    if !anaphoric {
        return None;
    }
    let paragraph = chunks[chunk_index].paragraph;
    let earlier = projects.iter().enumerate().rev().find(|(_, p)| {
        chunks[p.chunk].paragraph == paragraph
            && (p.chunk < chunk_index || (p.chunk == chunk_index && p.bytes.end <= sentence.start))
    })?;
    Some(AmountLink {
        project: earlier.0,
        is_investment,
    })
}

/// The clause (between commas or stronger punctuation) holding `bytes`.
fn clause_around<'t>(text: &'t str, bytes: &Range<usize>) -> &'t str {
    let is_break = |c: char| matches!(c, '，' | '。' | '；' | '！' | '？' | ',' | ';' | '!' | '?');
    let start = text[..bytes.start]
        .char_indices()
        .rev()
        .find(|(_, c)| is_break(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let end = text[bytes.end..]
        .find(is_break)
        .map(|i| bytes.end + i)
        .unwrap_or(text.len());
    &text[start..end]
}

fn sentence_around(text: &str, byte: usize) -> Range<usize> {
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';');
    let start = text[..byte]
        .rfind(is_end)
        .map(|i| i + text[i..].chars().next().map(char::len_utf8).unwrap_or(1))
        .unwrap_or(0);
    let end = text[byte..]
        .find(is_end)
        .map(|i| byte + i)
        .unwrap_or(text.len());
    start..end
}
