//! Plain-text pages (one block per line, as a browser's innerText gives it): which lines are the
//! article body and which are boilerplate, with the metadata lines found on the way.
//!
//! The decision is made in three explainable passes, none of which knows any particular site:
//!
//! 1. **Per line**: every line gets a kind. Wording marks boilerplate (form residue, calls to
//!    action and donation pleas, ad-blocker and cookie notices, bylines with reading time, photo
//!    captions and credits, share bars, URL slugs, lone dates and times, copyright lines);
//!    headings such as "Read also", "Related", "Most popular" mark related-content blocks;
//!    length, sentence punctuation and the share of title-case words tell paragraphs of prose
//!    from menu items and teaser headlines. A line that occurs more than once on the page is
//!    navigation or form residue (or a repeated title).
//! 2. **Main region**: prose lines weigh their length, everything else weighs against; the
//!    heaviest contiguous run of lines (maximum-sum segment) is the body. Block headings of
//!    related content ("Most popular", "Related posts", "Comments") are barriers the region cannot
//!    cross, so a teaser list after the article never joins it.
//! 3. **Inside the region**: boilerplate lines are removed; an inline "Read also" heading goes
//!    with the teaser headline that follows it; short lines survive as subheadings or list items
//!    when prose follows them.
//!
//! Title, byline and a publication date are taken from the lines above the body (headline-like
//! line next to the byline, equal to the feed's title, or repeated at the top of the body).
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use crate::normalise::{join_hyphenated, normalise};

/// What the caller already knows about the page.
#[derive(Debug, Default, Clone)]
pub struct Hints<'a> {
    /// Title from the feed or the page's metadata, if any.
    pub title: Option<&'a str>,
    /// The lines are already a main-content extract (from HTML): only drop lines that are
    /// boilerplate by their own wording, do not look for the body region.
    pub extracted: bool,
}

/// The outcome for one page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Cleaned {
    /// Body paragraphs, normalised, in page order.
    pub paragraphs: Vec<String>,
    /// Headline found on the page.
    pub title: Option<String>,
    /// Author line with the "By" and reading-time parts removed.
    pub byline: Option<String>,
    /// Publication date found on the page, as YYYY-MM-DD.
    pub published: Option<String>,
    /// Removed lines counted by kind ("menu", "form", "related", ...).
    pub removed: BTreeMap<String, u32>,
}

/// Why a line is not body text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Boilerplate {
    /// Newsletter and sign-up form residue ("Enter your email", "* indicates required").
    Form,
    /// Calls to action, donation pleas, shop and subscription prompts.
    CallToAction,
    /// Ad-blocker, cookie and consent notices, paywall prompts.
    Notice,
    /// Author lines, reading time, "Author:" boxes.
    Byline,
    /// Photo captions and credits.
    Caption,
    /// "Read also", "Related", "Most popular" headings and the teasers under them.
    Related,
    /// Share bars and social links.
    Share,
    /// Lone dates and times, comment counts, URL slugs, copyright and legal lines.
    Furniture,
    /// Short title-case items: menus, tags, section names.
    Menu,
    /// The headline (kept as the title, not in the body).
    Title,
    /// A line the page shows more than once.
    Repeated,
    /// Outside the main text region.
    OutsideBody,
}

impl Boilerplate {
    /// The key used in `CleanArticle.removed_blocks`.
    pub fn key(self) -> &'static str {
        match self {
            Boilerplate::Form => "form",
            Boilerplate::CallToAction => "call_to_action",
            Boilerplate::Notice => "notice",
            Boilerplate::Byline => "byline",
            Boilerplate::Caption => "caption",
            Boilerplate::Related => "related",
            Boilerplate::Share => "share",
            Boilerplate::Furniture => "furniture",
            Boilerplate::Menu => "menu",
            Boilerplate::Title => "title",
            Boilerplate::Repeated => "repeated",
            Boilerplate::OutsideBody => "outside_body",
        }
    }
}

/// Cleans one page given as lines.
pub fn clean_lines(lines: &[&str], hints: &Hints<'_>) -> Cleaned {
    let (lines, mut out) = classify(lines, hints);
    for (text, v) in lines {
        match v {
            None => out.paragraphs.push(text),
            Some(kind) => *out.removed.entry(kind.key().to_string()).or_insert(0) += 1,
        }
    }
    out
}

/// Every (normalised, non-blank) line with the reason it was removed, or None when it is body
/// text: the explanation behind [`clean_lines`]. The returned `Cleaned` has the metadata only.
pub fn explain(lines: &[&str], hints: &Hints<'_>) -> Vec<(String, Option<Boilerplate>)> {
    classify(lines, hints).0
}

type Verdicts = Vec<(String, Option<Boilerplate>)>;

fn classify(lines: &[&str], hints: &Hints<'_>) -> (Verdicts, Cleaned) {
    let lines = prepare(lines);
    let mut feats: Vec<Line> = lines.iter().map(|l| Line::new(l)).collect();
    demote_share_bar_comment_links(&mut feats);
    let mut out = Cleaned::default();
    if feats.is_empty() {
        return (Vec::new(), out);
    }
    let mut verdict: Vec<Option<Boilerplate>> = feats.iter().map(|f| f.wording).collect();
    if hints.extracted {
        // A main-content extract: the extractor has chosen the region; only lines that are
        // boilerplate by their own wording go, and the headline.
        let title = hints.title.map(fold);
        for (f, v) in feats.iter().zip(verdict.iter_mut()) {
            if v.is_none() && title.as_deref() == Some(f.key.as_str()) {
                *v = Some(Boilerplate::Title);
            }
        }
        out.byline = find_byline(&feats[..feats.len().min(8)]);
        out.published = feats.iter().take(8).find_map(|f| page_date(&f.text));
        out.title = hints.title.map(str::to_string);
        keep_prose_of_emptied_page(&feats, &mut verdict);
        let verdicts = feats.into_iter().map(|f| f.text).zip(verdict).collect();
        return (verdicts, out);
    }
    mark_repeats(&feats, &mut verdict);
    mark_teaser_lists(&feats, &mut verdict);

    let (start, end) = main_region(&feats, &verdict);
    // Metadata from the top of the page (and the region's first lines).
    let meta_end = (start + 8).min(feats.len());
    out.byline = find_byline(&feats[..meta_end]);
    out.published = feats[..meta_end].iter().find_map(|f| page_date(&f.text));
    out.title = find_title(&feats, start, end, hints);

    for (i, v) in verdict.iter_mut().enumerate() {
        if i < start || i >= end {
            v.get_or_insert(Boilerplate::OutsideBody);
        }
    }
    refine_region(&feats, &mut verdict, start, end, out.title.as_deref());
    keep_prose_of_emptied_page(&feats, &mut verdict);
    let verdicts = feats.into_iter().map(|f| f.text).zip(verdict).collect();
    (verdicts, out)
}

/// Normalises lines, joins words hyphenated across line ends, drops blank lines.
fn prepare(lines: &[&str]) -> Vec<String> {
    let normalised: Vec<String> = lines.iter().map(|l| normalise(l)).collect();
    join_hyphenated(normalised)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect()
}

/// Features of one line.
#[derive(Debug)]
struct Line {
    text: String,
    /// Folded text used to compare lines.
    key: String,
    words: usize,
    chars: usize,
    /// Ends like a sentence (. ! ? … or a closing quote after one).
    sentence_end: bool,
    /// Share of words that start with a capital letter or digit.
    title_case: f32,
    /// Has sentence punctuation inside (tag clouds and keyword lists have none).
    punctuated: bool,
    /// Boilerplate by its own wording.
    wording: Option<Boilerplate>,
    /// A heading that starts a related-content block the body never continues past.
    barrier: bool,
    /// The barrier opens a comment section: text after it is readers', not the article's.
    comments: bool,
    /// A heading ("Read also") after which one teaser headline follows inside the body.
    inline_related: bool,
}

impl Line {
    fn new(text: &str) -> Line {
        let words: Vec<&str> = text.split_whitespace().collect();
        // Scripts written without spaces count about two characters a word.
        let unspaced = text.chars().filter(|c| is_unspaced_script(*c)).count();
        let n = words.len().max(words.len() + unspaced / 2);
        // In a line written all in capitals (agency copy) a capital says nothing: only digits
        // count, as they would in the same line in ordinary case.
        let shouted = words.len() > 3 && is_shouted(text);
        let capitalised = words
            .iter()
            .filter(|w| {
                w.chars()
                    .find(|c| c.is_alphanumeric())
                    .is_some_and(|c| (c.is_uppercase() && !shouted) || c.is_numeric())
            })
            .count();
        let title_case = if n == 0 {
            0.0
        } else {
            capitalised as f32 / n as f32
        };
        let trimmed = text.trim_end_matches(|c: char| {
            matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*')
        });
        let sentence_end =
            trimmed.ends_with(['.', '!', '?', '…', ':', ';', '。', '！', '？', '」']);
        let key = fold(text);
        let heading = related_heading(&key);
        Line {
            wording: if heading.is_some() {
                Some(Boilerplate::Related)
            } else {
                boilerplate_wording(text, &key, n)
            },
            barrier: matches!(
                heading,
                Some(RelatedHeading::Block) | Some(RelatedHeading::Comments)
            ),
            comments: heading == Some(RelatedHeading::Comments),
            inline_related: heading == Some(RelatedHeading::Inline),
            text: text.to_string(),
            key,
            words: n,
            chars: text.chars().count(),
            sentence_end,
            title_case,
            punctuated: text.contains([',', '.', ';', ':', '，', '。', '、']),
        }
    }

    /// A paragraph of prose: long enough, mostly lower-case words, usually a full sentence.
    fn is_prose(&self) -> bool {
        if self.wording.is_some() || self.truncated() {
            return false;
        }
        (self.words >= 15 && (self.sentence_end || (self.title_case < 0.5 && self.punctuated)))
            || (self.words >= 7 && self.sentence_end && self.title_case < 0.6)
    }

    /// Long and punctuated like a paragraph of prose, whatever its wording: what a page keeps
    /// when the wording rules would leave it with no text at all ([`keep_prose_of_emptied_page`]).
    fn reads_as_prose(&self) -> bool {
        self.words >= 15 && (self.sentence_end || self.punctuated)
    }

    /// A short line that reads like a headline or subheading: several words, no final period
    /// (or cut off with an ellipsis, as teasers are).
    fn is_headline(&self) -> bool {
        self.wording.is_none()
            && (3..=25).contains(&self.words)
            && (!self.sentence_end || self.truncated())
    }

    /// Cut off mid-sentence with an ellipsis: a teaser, not a paragraph.
    fn truncated(&self) -> bool {
        self.words <= 40
            && (self.text.ends_with("...") || self.text.ends_with('…'))
            && !self.text.ends_with(". ...")
    }
}

/// Fewest letters for a line to be judged all capitals.
const SHOUTED_MIN_LETTERS: usize = 20;

/// Whether (nearly) every letter of `text` is upper case: nine in ten, of at least
/// [`SHOUTED_MIN_LETTERS`].
fn is_shouted(text: &str) -> bool {
    let (mut upper, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    letters >= SHOUTED_MIN_LETTERS && upper * 10 >= letters * 9
}

/// Han, kana, Hangul, Thai and similar scripts that do not separate words with spaces.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0x0E00..=0x0E7F
        | 0xF900..=0xFAFF | 0x1000..=0x109F | 0x0E80..=0x0EFF)
}

/// Lower-cased, punctuation-free form used to compare lines and match phrases.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RelatedHeading {
    /// Starts a block of teasers, comments or site furniture: the body does not go on after it.
    Block,
    /// Opens readers' comments.
    Comments,
    /// Introduces one teaser inside the body ("Read also: ...").
    Inline,
    /// A teaser headline with its label on the same line ("Related: Talks collapse").
    Labelled,
}

/// Headings of related-content blocks, matched on the whole (folded) line so that a sentence
/// mentioning "related" stays prose.
fn related_heading(key: &str) -> Option<RelatedHeading> {
    static BLOCK: OnceLock<Regex> = OnceLock::new();
    static INLINE: OnceLock<Regex> = OnceLock::new();
    let block = BLOCK.get_or_init(|| {
        regex_or_never(
            r"^(?:related(?: (?:posts?|articles?|stories|news|content|coverage|topics|links|reading))?|more (?:news|stories|from [\w ]{1,30}|on (?:this|[\w ]{1,30}))|most (?:popular|read|viewed|shared|commented)(?: (?:news|stories|articles))?(?: (?:in|on|from) [\w ]{1,30})?|(?:top|latest|trending|popular|recommended|featured|editors?s?|editor s) (?:news|stories|articles|picks|posts|videos|now)|editors? picks?|editor s picks|trending(?: now)?|recommended(?: for you)?|you (?:may|might) (?:also )?(?:like|be interested in)|don t miss|what to read next|more \w+(?: \w+){0,2}|more (?:articles|stories|posts|news|videos) (?:from|by) .{1,40}|about \w+(?: \w+){0,2}|(?:über|à propos de|a propos de|acerca de|sobre|informazioni su) \w+(?: \w+){0,2}|sponsored (?:content|stories|links)|voc[eê] (?:pode|tamb[eé]m pode) gostar|leia (?:tamb[eé]m|mais)|veja (?:tamb[eé]m|mais)|mais lidas|lea (?:tambi[eé]n|m[aá]s)|relacionad[oa]s|noticias relacionadas|m[aá]s le[ií]d[oa]s|lesen sie auch|mehr zum thema|das k[oö]nnte sie auch interessieren|meistgelesen|(?:[aà] )?lire aussi|sur le m[eê]me sujet|les plus lus|leggi anche|potrebbe interessarti|i pi[uù] letti|lees ook|meest gelezen|czytaj (?:te[zż]|wi[eę]cej)|читайте также|похожие (?:новости|статьи)|самое популярное|promoted (?:stories|content)|from (?:around|across) the web|around the web|in other news|latest(?: news)?|news feed|follow us|sections|tags?|topics|filed under|about the author|popular (?:posts|stories))$",
        )
    });
    let inline = INLINE.get_or_init(|| {
        regex_or_never(
            r"^(?:read (?:also|more|next)|see also|also read|read too|watch(?: also)?|listen|related|more)(?: (?:on|about) (?:this|the) (?:topic|story|subject))?$|^(?:read (?:also|more|next)|see also|also read|related)(?-u:\b)",
        )
    });
    static COMMENT_COUNT: OnceLock<Regex> = OnceLock::new();
    let comment_count = COMMENT_COUNT.get_or_init(|| {
        regex_or_never(r"^(?:\d+|one|two|three|no) (?:comments?|responses?|replies|thoughts) (?:on|to|for)(?-u:\b)")
    });
    if key.split(' ').count() <= 30 && comment_count.is_match(key) {
        return Some(RelatedHeading::Comments);
    }
    if key.is_empty() {
        return None;
    }
    if key.split(' ').count() > 6 {
        // "Related: <headline>", "READ MORE: <headline>": a teaser with its label on one line.
        static LABELLED: OnceLock<Regex> = OnceLock::new();
        let labelled = LABELLED.get_or_init(|| {
            regex_or_never(r"^(?:read (?:also|more|next)|see also|also read|related(?: stories| articles| coverage)?|more on this|recommended|watch|listen|leia tamb[eé]m|lea tambi[eé]n|lire aussi|lesen sie auch|leggi anche|читайте также) ")
        });
        return (key.split(' ').count() <= 30 && labelled.is_match(key))
            .then_some(RelatedHeading::Labelled);
    }
    static COMMENTS: OnceLock<Regex> = OnceLock::new();
    let comments = COMMENTS.get_or_init(|| {
        regex_or_never(
            r"^(?:(?:top rated |latest |reader |user |show |view |read |see |load )?(?:all )?comments?|\d+ (?:comments?|responses?|replies|thoughts on .*)|leave a (?:comment|reply)|post a comment|add (?:a|your) comment|join the (?:conversation|discussion)|comments are closed|no comments yet.*|be the first to comment|discussion|responses?|what do you think|have your say)$",
        )
    });
    if comments.is_match(key) {
        return Some(RelatedHeading::Comments);
    }
    // "Read also", "Related: <headline>", "Related stories" introduce teasers inside the text
    // (the teaser lines go, the text goes on); whole-line block headings end it.
    if inline.is_match(key) {
        return Some(RelatedHeading::Inline);
    }
    if block.is_match(key) {
        return Some(RelatedHeading::Block);
    }
    None
}

/// A pattern that failed to compile (a bug caught by the tests) matches nothing rather than
/// taking the service down.
fn regex_or_never(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(r) => r,
        Err(_) => never(),
    }
}

fn never() -> Regex {
    // `[^\s\S]` matches no character; it always compiles.
    Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!("constant pattern"))
}

struct Patterns {
    set: RegexSet,
    kinds: Vec<Boilerplate>,
    /// Apply only to short lines (up to this many words); 0 = any length.
    max_words: Vec<usize>,
}

/// Wording rules: (kind, longest line it applies to in words (0 = any), pattern on the raw
/// line, case-insensitive).
const RULES: &[(Boilerplate, usize, &str)] = &[
    // Forms and newsletter widgets.
    (
        Boilerplate::Form,
        14,
        r"indicates required|required fields?|save my name|by submitting this form|your email address will not be published|notify me of (?:follow-up|new) |post (?:a )?comment|enter (?:your|a valid|correct) e-?mail|e-?mail address|sign(?:ed)? up|subscribe|thank you for (?:signing up|subscribing)|confirmation email|unsubscribe|newsletter|privacy policy and terms|^\s*(?:name|email|password|search|submit|send|go|ok|log ?in|sign ?in|register|first name|last name)\s*\*?\s*$",
    ),
    // Calls to action and donation pleas (any length: pleas are often long paragraphs).
    (
        Boilerplate::CallToAction,
        0,
        r"support us on|follow (?:him|her|them|us|me) (?:on|@)|unsubscribe at any time|no spam|join our (?:community|forums?|newsletter|mailing list|discord|telegram)|become a (?:patron|member|subscriber|supporter)|(?-u:\b)donat(?:e|ion)s?(?-u:\b).*(?-u:\b)(?:support|help|journalism|today|now)|support (?:our|independent|quality) (?:journalism|reporting|work)|help us (?:produce|keep|continue|fund)|for as little as|already a subscriber|start your (?:free )?trial|to suggest a correction|ctrl\s*\+\s*enter|highlight the text and press",
    ),
    // Short prompts: the same words inside a sentence of the article are prose.
    (
        Boilerplate::CallToAction,
        15,
        r"pre-order now|shop now|buy now|learn more|get (?:the|our) app|download (?:the|our) app|sign up (?:for|now|today)|subscribe (?:now|today|to)|unlock (?:this|unlimited)|report (?:a |an )?(?:typo|error|mistake)|read (?:more|the full)",
    ),
    (
        Boilerplate::Notice,
        0,
        r"ad ?blocker|personal data|data protection|revoke (?:this|your) consent|disabl(?:e|ing) your ad|(?-u:\b)cookies?(?-u:\b).*(?-u:\b)(?:use|accept|consent|settings|policy|experience)|accept (?:all )?cookies|we value your privacy|this (?:site|website) uses|javascript (?:is )?(?:disabled|required)|enable javascript|your browser (?:does not|doesn't) support|this (?:audio|article|story) (?:is|was) (?:created|generated|narrated|read)|listen to this (?:article|story)|audio version|ai[- ]generated (?:audio|summary|narration)|you have \d+ (?:free )?articles? left|to continue reading|continue reading|skip to (?:main )?content|skip to navigation|edit post|^\s*advertisements?\s*$|^\s*(?:sponsored|promoted|paid (?:content|post))\s*$|^\s*advertisement\s*$|^\s*ad\s*$|scroll to continue",
    ),
    (
        Boilerplate::Byline,
        16,
        r"^\s*by\s?\p{Lu}|(?-u:\b)\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s+read(?-u:\b)|(?-u:\b)read(?:ing)? time(?-u:\b)|^\s*(?:author|written by|posted by|words by|reporting by|edited by|story by)(?-u:\b)",
    ),
    (
        Boilerplate::Caption,
        45,
        r"(?-u:\b)(?:credit|photo|photograph|picture|image|illustration|video|foto|source)\s*:\s*\S|\((?:photo|image|picture)s?(?-u:\b)|(?-u:\b)photo(?:graph)? by(?-u:\b)|getty images|(?-u:\b)(?:afp|ap|reuters|epa|anadolu|xinhua|shutterstock|bloomberg|ap photo|efe|dpa|tass|ria novosti|sputnik|alamy|istock)\s*(?:/|via|photo|\)\s*$|$)|/\s*(?:afp|ap|reuters|epa|getty|anadolu|xinhua|bloomberg)(?-u:\b)|(?-u:\b)file photo(?-u:\b)|©|ⓒ|^\s*image (?:caption|copyright)(?-u:\b)|^\s*(?:image|photo|picture|slide)s? \d+ (?:of|/) \d+\s*$|(?-i:\p{Ll}(?:Credit|Photo|Image):)",
    ),
    (
        Boilerplate::Share,
        8,
        r"^\s*(?:share(?: this)?(?: (?:article|story|post|on))?|tweet|pin|email|print|copy(?: the)? link|facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|instagram|youtube|tiktok|rss(?: feed)?|flipboard|messenger|viber|mail)\s*:?\s*$|share (?:on|via) (?:facebook|twitter|x|whatsapp|email|linkedin)|share your thoughts|click to (?:share|email|print)",
    ),
    (
        Boilerplate::Furniture,
        10,
        r"^\s*\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:\p{L}{2,4})?\s*$|^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s*$|^\s*\d+\s*$|^\s*[a-z0-9]+(?:-[a-z0-9]+)+\s*$|all rights reserved|(?-u:\b)\d{4},? (?:at )?\d{1,2}:\d{2}\s*(?:am|pm)?\s*(?:said|says|wrote)?:?\s*$|^\s*(?:reply|report|like|quote|permalink|shares?|\d+\s+shares?)\s*$|^\s*\S+(?:\s\S+){0,3}\s+(?:says|said|wrote)\s*:\s*$|^\s*(?:updated|published|posted|last updated|modified)\s*:?\s|^\s*(?:home|menu|search|close|back to top|next|previous|prev|top|more|open|toggle navigation|main menu)\s*$|terms of (?:use|service)|privacy policy|cookie policy|contact us|about us",
    ),
];

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // A larger lazy-DFA cache than the default: the rules are many case-insensitive
        // alternations, and a cache that keeps being cleared costs more than the matching.
        let set = regex::RegexSetBuilder::new(RULES.iter().map(|(_, _, p)| format!("(?i){p}")))
            .dfa_size_limit(32 << 20)
            .build()
            .unwrap_or_else(|_| RegexSet::empty());
        Patterns {
            set,
            kinds: RULES.iter().map(|(k, _, _)| *k).collect(),
            max_words: RULES.iter().map(|(_, m, _)| *m).collect(),
        }
    })
}

/// Boilerplate by the line's own wording, or None.
fn boilerplate_wording(text: &str, key: &str, words: usize) -> Option<Boilerplate> {
    let p = patterns();
    // Most lines match no rule: a plain search settles them before the costlier search that
    // says which rules matched.
    if !p.set.is_match(text) {
        return fallback_wording(text, key, words);
    }
    let hit = p
        .set
        .matches(text)
        .into_iter()
        .find(|&i| p.max_words[i] == 0 || words <= p.max_words[i])
        .map(|i| p.kinds[i]);
    if hit.is_some() {
        return hit;
    }
    fallback_wording(text, key, words)
}

/// Lines that are boilerplate by shape rather than wording.
fn fallback_wording(text: &str, key: &str, words: usize) -> Option<Boilerplate> {
    // Lines with no letters at all ("|", "•", "0", "12 / 40").
    if !text.chars().any(char::is_alphabetic) {
        return Some(Boilerplate::Furniture);
    }
    if words <= 1 && key.len() <= 3 {
        return Some(Boilerplate::Furniture);
    }
    None
}

/// A page the rules would empty keeps its paragraphs of prose that went only for words inside
/// them: a single-paragraph article (a long quotation, a transcript) that mentions a donation,
/// a cookie or "continue reading" is still an article. Lines that went as the title, as
/// repeats or as related content stay out.
fn keep_prose_of_emptied_page(feats: &[Line], verdict: &mut [Option<Boilerplate>]) {
    if verdict.iter().any(Option::is_none) {
        return;
    }
    for (f, v) in feats.iter().zip(verdict.iter_mut()) {
        let by_wording = matches!(
            v,
            Some(
                Boilerplate::Form
                    | Boilerplate::CallToAction
                    | Boilerplate::Notice
                    | Boilerplate::Byline
                    | Boilerplate::Caption
                    | Boilerplate::Share
                    | Boilerplate::Furniture
                    | Boilerplate::OutsideBody
            )
        );
        if by_wording && f.reads_as_prose() && !f.barrier {
            *v = None;
        }
    }
}

/// "Comments" / "Leave a comment" inside a share bar or next to the byline is a link to the
/// comment section, not its heading: it neither ends the body nor marks what follows as comments.
fn demote_share_bar_comment_links(feats: &mut [Line]) {
    let near_bar: Vec<bool> = (0..feats.len())
        .map(|i| {
            let share_near = feats[i.saturating_sub(3)..(i + 4).min(feats.len())]
                .iter()
                .any(|g| {
                    matches!(
                        g.wording,
                        Some(Boilerplate::Share) | Some(Boilerplate::Form)
                    )
                });
            // Right under the byline, before any paragraph.
            let under_byline = feats[i.saturating_sub(3)..i]
                .iter()
                .rev()
                .take_while(|g| !g.is_prose())
                .any(|g| g.wording == Some(Boilerplate::Byline));
            share_near || under_byline
        })
        .collect();
    for (f, near) in feats.iter_mut().zip(near_bar) {
        if f.comments && near && f.words <= 3 {
            f.comments = false;
            f.barrier = false;
            f.wording = Some(Boilerplate::Share);
        }
    }
}

/// Teaser lists: three or more headline + one-paragraph-excerpt pairs in a row (an article's
/// own sections run longer than one paragraph each), and runs of three or more headlines that
/// end in a count ("... (142)").
fn mark_teaser_lists(feats: &[Line], verdict: &mut [Option<Boilerplate>]) {
    let free: Vec<bool> = verdict.iter().map(Option::is_none).collect();
    let headline = |i: usize| free[i] && feats[i].is_headline();
    let prose = |i: usize| free[i] && feats[i].is_prose();
    let n = feats.len();
    // A teaser: headline, up to two short lines (author, date), one excerpt paragraph, and then
    // the next headline rather than more of the same story.
    let teaser_at = |i: usize| -> Option<usize> {
        if i >= n || !(headline(i) || (free[i] && !feats[i].is_prose() && feats[i].words <= 6)) {
            return None;
        }
        let mut j = i + 1;
        while j < n && j <= i + 3 && free[j] && !prose(j) && feats[j].words <= 25 {
            j += 1;
        }
        (j < n && j > i + 1 - usize::from(headline(i)) && prose(j) && (j + 1 >= n || !prose(j + 1)))
            .then_some(j + 1)
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        let mut j = i;
        let mut units = 0;
        while let Some(next) = teaser_at(j) {
            units += 1;
            j = next;
        }
        if units >= 3 {
            runs.push((i, j));
            i = j;
        } else {
            i += 1;
        }
    }
    // On a page that is itself a list of items (deals, results, a listicle) the "teasers" are
    // the article: mark them only when the rest of the page holds more prose than they do.
    let prose_chars = |r: std::ops::Range<usize>| -> usize {
        r.filter(|&k| prose(k)).map(|k| feats[k].chars).sum()
    };
    let in_runs: usize = runs.iter().map(|&(a, b)| prose_chars(a..b)).sum();
    let elsewhere = prose_chars(0..n).saturating_sub(in_runs);
    if elsewhere >= in_runs {
        for (a, b) in runs {
            for v in &mut verdict[a..b] {
                v.get_or_insert(Boilerplate::Related);
            }
        }
    }
    static COUNTED: OnceLock<Regex> = OnceLock::new();
    let counted = COUNTED.get_or_init(|| regex_or_never(r"\(\d+\)\s*$"));
    // Runs of headlines ending in a count ("... (142)") or cut off with an ellipsis.
    let is_counted = |i: usize| {
        feats[i].words <= 25 && (counted.is_match(&feats[i].text) || feats[i].truncated())
    };
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && is_counted(j) {
            j += 1;
        }
        if j - i >= 3 {
            for v in &mut verdict[i..j] {
                v.get_or_insert(Boilerplate::Related);
            }
        }
        i = j.max(i + 1);
    }
}

/// Lines shown more than once on the page: short ones (menus, form labels) go everywhere they
/// occur; long ones (pull quotes, repeated teasers) keep their first occurrence.
fn mark_repeats(feats: &[Line], verdict: &mut [Option<Boilerplate>]) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for f in feats {
        if !f.key.is_empty() {
            *seen.entry(f.key.as_str()).or_insert(0) += 1;
        }
    }
    let mut first_kept: HashMap<&str, ()> = HashMap::new();
    for (f, v) in feats.iter().zip(verdict.iter_mut()) {
        if v.is_some() || f.key.is_empty() || seen.get(f.key.as_str()).copied().unwrap_or(0) < 2 {
            continue;
        }
        // Short repeated lines go everywhere; long ones keep their first occurrence.
        if f.words < 8 || first_kept.insert(f.key.as_str(), ()).is_some() {
            *v = Some(Boilerplate::Repeated);
        }
    }
}

/// Weight of a line for the main-region search: prose counts its length, other lines count
/// against the region, barriers cannot be crossed.
fn weight(f: &Line, v: Option<Boilerplate>) -> f64 {
    if f.barrier {
        return f64::NEG_INFINITY;
    }
    if f.is_prose() {
        return f.chars as f64;
    }
    match v {
        Some(Boilerplate::Repeated) | Some(Boilerplate::Menu) => -85.0,
        Some(_) => -80.0,
        None if f.words >= 5 && f.sentence_end => f.chars as f64 * 0.5,
        None => -(40.0 + f.chars as f64 * 0.5),
    }
}

/// The heaviest contiguous run of lines (half-open range); the whole page when nothing looks
/// like prose. Barriers split the page into segments; each segment offers its heaviest run, and
/// runs after a comments heading count a quarter, runs just under a byline half again more.
fn main_region(feats: &[Line], verdict: &[Option<Boilerplate>]) -> (usize, usize) {
    let weights: Vec<f64> = feats
        .iter()
        .zip(verdict)
        .map(|(f, v)| weight(f, *v))
        .collect();
    let mut best: Option<(usize, usize, f64)> = None;
    let mut seg_start = 0usize;
    let mut after_comments = false;
    for i in 0..=feats.len() {
        if i < feats.len() && !feats[i].barrier {
            continue;
        }
        for (s, e, w) in positive_runs(&weights[seg_start..i]) {
            let (s, e) = (seg_start + s, seg_start + e);
            let anchored = feats[s.saturating_sub(8)..(s + 2).min(e)]
                .iter()
                .any(|f| f.wording == Some(Boilerplate::Byline));
            let mut score = if anchored { w * 1.5 } else { w };
            // Readers' comments lose to any article-sized run above them.
            if after_comments {
                score *= 0.25;
                if best.is_some_and(|b| b.2 >= 150.0) {
                    score = f64::NEG_INFINITY;
                }
            }
            if best.is_none_or(|b| score > b.2) {
                best = Some((s, e, score));
            }
        }
        if i < feats.len() && feats[i].comments {
            after_comments = true;
        }
        seg_start = i + 1;
    }
    let Some(best) = best else {
        // No prose anywhere: keep every line that is not boilerplate by wording.
        return (0, feats.len());
    };
    let (mut start, end) = (best.0, best.1);
    debug_assert!(start < end);
    // A standfirst or first paragraph can sit just above the region, separated from it by the
    // byline block: pull it in when the lines between are all metadata or captions.
    let mut i = start;
    while i > 0 {
        let f = &feats[i - 1];
        let v = verdict[i - 1];
        if f.barrier {
            break;
        }
        if f.is_prose() {
            start = i - 1;
        } else if !matches!(
            v,
            Some(Boilerplate::Byline)
                | Some(Boilerplate::Caption)
                | Some(Boilerplate::Furniture)
                | Some(Boilerplate::Repeated)
                | Some(Boilerplate::Share)
                | Some(Boilerplate::Notice)
        ) {
            break;
        }
        i -= 1;
    }
    // A list that continues the text below the last paragraph (tour dates, results, a numbered
    // list) belongs to it; the region search stops before it because its items are short.
    let mut j = end;
    while j < feats.len()
        && verdict[j].is_none()
        && !feats[j].is_prose()
        && !feats[j].barrier
        && j - end < 200
    {
        j += 1;
    }
    let run: Vec<usize> = (end..j).collect();
    let end = if list_like(feats, &run) { j } else { end };
    (start, end)
}

/// The positive runs of a weight sequence as Kadane's scan closes them: (start, end, sum) of
/// each run's best prefix. The heaviest run is among them, and so are lighter runs separated
/// from it by enough negative weight (a short article above a long footer, say).
fn positive_runs(weights: &[f64]) -> Vec<(usize, usize, f64)> {
    let mut runs = Vec::new();
    let mut open: Option<(usize, usize, f64)> = None; // start, best end, best sum
    let mut sum = 0.0f64;
    for (i, &w) in weights.iter().enumerate() {
        if sum <= 0.0 {
            if let Some(r) = open.take() {
                runs.push(r);
            }
            sum = 0.0;
            if w <= 0.0 {
                continue;
            }
            open = Some((i, i + 1, w));
            sum = w;
            continue;
        }
        sum += w;
        if let Some(r) = open.as_mut() {
            if sum > r.2 {
                r.1 = i + 1;
                r.2 = sum;
            }
        }
    }
    runs.extend(open);
    runs
}

/// Clean-up inside the body region.
fn refine_region(
    feats: &[Line],
    verdict: &mut [Option<Boilerplate>],
    start: usize,
    end: usize,
    title: Option<&str>,
) {
    let title_key = title.map(fold);
    // A headline and one paragraph closing the region just above the author box, after the
    // article's own paragraphs, is an embedded teaser for another story.
    let kept: Vec<usize> = (start..end).filter(|&i| verdict[i].is_none()).collect();
    if let [.., a, h, p] = kept[..] {
        let author_box_after = feats[p + 1..(p + 3).min(feats.len())]
            .iter()
            .any(|g| g.wording == Some(Boilerplate::Byline));
        if feats[a].is_prose()
            && feats[h].is_headline()
            && feats[p].is_prose()
            && h + 1 == p
            && author_box_after
        {
            verdict[h] = Some(Boilerplate::Related);
            verdict[p] = Some(Boilerplate::Related);
        }
    }
    let mut i = start;
    while i < end {
        let f = &feats[i];
        if verdict[i].is_none() && title_key.as_deref() == Some(f.key.as_str()) {
            verdict[i] = Some(Boilerplate::Title);
        }
        if f.inline_related {
            // The teaser headline(s) right after "Read also" go with it.
            let mut j = i + 1;
            while j < end && j <= i + 2 && !feats[j].is_prose() {
                verdict[j].get_or_insert(Boilerplate::Related);
                j += 1;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    // Short lines between the first and last paragraph stay (subheadings, list items, quotes)
    // unless a run of them reads like a menu or tag list; short lines before the first or after
    // the last paragraph stay only as a list continuing the text.
    let prose_idx: Vec<usize> = (start..end)
        .filter(|&i| verdict[i].is_none() && feats[i].is_prose())
        .collect();
    let (Some(&first), Some(&last)) = (prose_idx.first(), prose_idx.last()) else {
        return;
    };
    let mut i = start;
    while i < end {
        if verdict[i].is_some() || feats[i].is_prose() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < end && !feats[j].is_prose() {
            j += 1;
        }
        let run: Vec<usize> = (i..j).filter(|&k| verdict[k].is_none()).collect();
        let inside = i > first && j <= last;
        let keep = if inside {
            !menu_like(feats, &run)
        } else if i > last {
            list_like(feats, &run)
        } else {
            false
        };
        if !keep {
            for k in run {
                verdict[k] = Some(Boilerplate::Menu);
            }
        }
        i = j;
    }
}

/// A run of short items that reads like navigation or tags: three or more items of at most
/// three words, nearly all capitalised.
fn menu_like(feats: &[Line], run: &[usize]) -> bool {
    run.len() >= 3
        && run
            .iter()
            .all(|&k| feats[k].words <= 3 && feats[k].title_case >= 0.8)
}

/// A list continuing the text: three or more items of the same shape (bullets, numbers, month
/// names, the same first word), each with some punctuation or a digit.
fn list_like(feats: &[Line], run: &[usize]) -> bool {
    if run.len() < 3 {
        return false;
    }
    let shape = |k: usize| -> String {
        let first = feats[k].text.split_whitespace().next().unwrap_or("");
        match first.chars().next() {
            Some(c) if c.is_ascii_digit() => "#".to_string(),
            Some(c) if !c.is_alphanumeric() => c.to_string(),
            _ => match month_number(first.trim_end_matches('.')) {
                Some(_) => "month".to_string(),
                None => first.to_lowercase(),
            },
        }
    };
    // The list may have a title line; the items are the rest.
    let items = &run[1..];
    let s0 = shape(items[0]);
    items.len() >= 3
        && items.iter().all(|&k| {
            shape(k) == s0
                && feats[k]
                    .text
                    .contains(|c: char| c.is_ascii_digit() || ",:;@–-".contains(c))
        })
}

/// "By Jane Doe", "byJane Doe and John Roe", "by Tim Smith April 16, 2025 10:35 AM 2 min read",
/// "Author: Jane Doe": the names, without the date, time and reading time.
fn find_byline(feats: &[Line]) -> Option<String> {
    static BY: OnceLock<Regex> = OnceLock::new();
    let by = BY.get_or_init(|| {
        regex_or_never(
            r"^(?i:by|written by|words by|author:?|story by|posted by)\s?(\p{Lu}[\p{L}'’.-]*(?:\s+(?:(?i:and|&)|\p{Lu}[\p{L}'’.-]*|(?:de|van|von|der|al|bin|el|da|di|le|la)))*)",
        )
    });
    feats.iter().find_map(|f| {
        if f.words > 16 {
            return None;
        }
        let caps = by.captures(&f.text)?;
        let names = caps.get(1)?.as_str();
        let cleaned = strip_trailing_non_name(names);
        (!cleaned.is_empty()).then_some(cleaned)
    })
}

/// Drops month names, weekday names and words like "Updated" that a byline's name run picked up.
fn strip_trailing_non_name(s: &str) -> String {
    const STOP: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Updated",
        "Published",
        "Posted",
        "Last",
        "AM",
        "PM",
    ];
    let mut words: Vec<&str> = Vec::new();
    for w in s.split_whitespace() {
        let bare = w.trim_end_matches(['.', ',']);
        if STOP.contains(&bare) {
            break;
        }
        words.push(w);
    }
    while let Some(last) = words.last() {
        if last.eq_ignore_ascii_case("and") || *last == "&" {
            words.pop();
        } else {
            break;
        }
    }
    words
        .join(" ")
        .trim_end_matches([',', '.', '|', '-'])
        .to_string()
}

/// A publication date on a metadata line: "16/04/2025", "April 16, 2025", "16 April 2025",
/// "2025-04-16". A numeric date is read day first ("16/04/2025"), month first only when the
/// second number cannot be a month ("04/16/2025").
pub fn page_date(line: &str) -> Option<String> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    static NUM: OnceLock<Regex> = OnceLock::new();
    static MDY: OnceLock<Regex> = OnceLock::new();
    static DMY: OnceLock<Regex> = OnceLock::new();
    if line.split_whitespace().count() > 20 {
        return None;
    }
    let iso = ISO.get_or_init(|| regex_or_never(r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)"));
    let num =
        NUM.get_or_init(|| regex_or_never(r"(?-u:\b)(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?-u:\b)"));
    let mdy = MDY.get_or_init(|| {
        regex_or_never(
            r"(?i)(?-u:\b)([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?-u:\b)",
        )
    });
    let dmy = DMY.get_or_init(|| {
        regex_or_never(
            r"(?i)(?-u:\b)(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})(?-u:\b)",
        )
    });
    let ymd = |y: &str, m: u32, d: u32| -> Option<String> {
        let y: i32 = y.parse().ok()?;
        chrono::NaiveDate::from_ymd_opt(y, m, d).map(|dt| dt.format("%Y-%m-%d").to_string())
    };
    if let Some(c) = iso.captures(line) {
        return ymd(&c[1], c[2].parse().ok()?, c[3].parse().ok()?);
    }
    if let Some(c) = mdy.captures(line) {
        if let Some(m) = month_number(&c[1]) {
            return ymd(&c[3], m, c[2].parse().ok()?);
        }
    }
    if let Some(c) = dmy.captures(line) {
        if let Some(m) = month_number(&c[2]) {
            return ymd(&c[3], m, c[1].parse().ok()?);
        }
    }
    if let Some(c) = num.captures(line) {
        let a: u32 = c[1].parse().ok()?;
        let b: u32 = c[2].parse().ok()?;
        let (d, m) = if b > 12 { (b, a) } else { (a, b) };
        return ymd(&c[3], m, d);
    }
    None
}

/// The month a name or abbreviation in any case stands for ("Sept", "APRIL").
fn month_number(name: &str) -> Option<u32> {
    eventwire_timex::month_number(&name.to_lowercase())
}

/// The headline: the line equal to the feed's title; else a headline-like line above the body
/// that is followed by the byline block or repeated as the first line of the body.
fn find_title(feats: &[Line], start: usize, end: usize, hints: &Hints<'_>) -> Option<String> {
    if let Some(t) = hints.title {
        let k = fold(t);
        if !k.is_empty() {
            if let Some(f) = feats.iter().take(end).find(|f| f.key == k) {
                return Some(f.text.clone());
            }
        }
    }
    let looks_like_title = |f: &Line| {
        f.wording.is_none()
            && (4..=30).contains(&f.words)
            && (!f.sentence_end || f.text.ends_with('?'))
            && !f.barrier
    };
    // Lines above the body and the first few of it, nearest the body's start first.
    let top = (start + 3).min(end).min(feats.len());
    for i in (start.saturating_sub(12)..top).rev() {
        let f = &feats[i];
        if !looks_like_title(f) {
            continue;
        }
        let byline_below = feats[i + 1..(i + 4).min(feats.len())]
            .iter()
            .any(|g| g.wording == Some(Boilerplate::Byline));
        let repeated_below = feats[i + 1..end.min(feats.len())]
            .iter()
            .take(12)
            .any(|g| g.key == f.key);
        if byline_below || repeated_below {
            return Some(f.text.clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(page: &str) -> Cleaned {
        let lines: Vec<&str> = page.lines().collect();
        clean_lines(&lines, &Hints::default())
    }

    const P1: &str = "The foreign ministers of the two countries met in Vienna on Tuesday to discuss a ceasefire, officials said after the talks ended late in the evening.";
    const P2: &str = "Neither side gave details of the proposals, but a spokesman said the delegations had agreed to meet again within two weeks, possibly in Geneva.";
    const P3: &str = "The meeting was the first between the ministers since the fighting began, and it followed weeks of shuttle diplomacy by mediators from the region.";

    fn page(lines: &[&str]) -> String {
        lines.join("\n")
    }

    #[test]
    fn body_is_kept_and_page_furniture_goes() {
        let text = page(&[
            "Home", "World", "Politics", "Business", "Sport", "Subscribe",
            "Ministers meet in Vienna for ceasefire talks",
            "By Jane Doe and John Roe | 3 min read",
            "12 March 2024",
            "The ministers arrive for the talks. (Photo by Joe Bloggs / AFP via Getty Images)",
            P1, P2, "What comes next", P3,
            "Share", "Facebook", "Twitter",
            "Most popular",
            "Another story about something else entirely that happened elsewhere today in the capital.",
            "Enter your email address", "* indicates required",
            "Please disable your ad blocker to support our journalism.",
        ]);
        let c = run(&text);
        assert_eq!(c.paragraphs, vec![P1, P2, "What comes next", P3], "{c:#?}");
        assert_eq!(
            c.title.as_deref(),
            Some("Ministers meet in Vienna for ceasefire talks")
        );
        assert_eq!(c.byline.as_deref(), Some("Jane Doe and John Roe"));
        assert_eq!(c.published.as_deref(), Some("2024-03-12"));
        assert!(
            c.removed.get("caption").copied().unwrap_or(0) >= 1,
            "{:?}",
            c.removed
        );
        assert!(c.removed.get("related").copied().unwrap_or(0) >= 1);
    }

    #[test]
    fn inline_read_also_takes_its_teaser_with_it() {
        let text = page(&[
            P1,
            "Read also:",
            "Talks collapse in another capital",
            P2,
            P3,
        ]);
        let c = run(&text);
        assert_eq!(c.paragraphs, vec![P1, P2, P3]);
    }

    #[test]
    fn comments_lose_to_the_article_above_them() {
        let comment = "I completely disagree with the premise of this article, and I think the author has misunderstood what the ministers actually said in Vienna, which is obvious to anyone who followed it.";
        let mut lines = vec![
            "Ministers meet in Vienna",
            "By Jane Doe",
            P1,
            P2,
            "12 Comments",
        ];
        for _ in 0..6 {
            lines.push("reader123 says:");
            lines.push(comment);
        }
        let c = run(&page(&lines));
        assert_eq!(c.paragraphs, vec![P1, P2]);
    }

    #[test]
    fn teaser_lists_after_the_article_are_removed() {
        let mut lines = vec![P1, P2, P3];
        let teasers = [
            ("Flooding closes roads across the north", "Officials said the situation was expected to improve over the coming days as water levels fell."),
            ("Election results delayed in two provinces", "The electoral commission said counting would resume on Monday after a dispute over ballots."),
            ("Central bank holds rates steady", "Policy makers left the main rate unchanged for a third month, citing stubborn inflation."),
            ("Striking doctors return to work", "The union said its members would go back to hospitals while talks on pay continue this week."),
        ];
        for (h, e) in teasers {
            lines.push(h);
            lines.push(e);
        }
        let text = page(&lines);
        let c = run(&text);
        assert_eq!(c.paragraphs, vec![P1, P2, P3]);
    }

    #[test]
    fn a_list_continuing_the_text_stays() {
        let text = page(&[
            P1,
            P2,
            "The tour dates:",
            "June 9 - Vienna, Stadthalle",
            "June 12 - Geneva, Arena",
            "June 14 - Rome, Palazzo",
            "Privacy Policy",
        ]);
        let c = run(&text);
        assert!(
            c.paragraphs
                .contains(&"June 14 - Rome, Palazzo".to_string()),
            "{c:#?}"
        );
        assert!(!c.paragraphs.iter().any(|p| p == "Privacy Policy"));
    }

    #[test]
    fn donation_pleas_and_notices_go_at_any_length() {
        let plea = "You could close this page. Or you could join our community and help us produce more materials like this, for as little as the cost of one cup of coffee a month.";
        let c = run(&page(&[
            P1,
            P2,
            plea,
            "You can also highlight the text and press Ctrl + Enter",
        ]));
        assert_eq!(c.paragraphs, vec![P1, P2]);
    }

    #[test]
    fn paragraphs_in_capitals_are_prose() {
        let upper: Vec<String> = [P1, P2, P3].iter().map(|p| p.to_uppercase()).collect();
        // a paragraph without a final period, as transcripts end ("[...]")
        let open = "THE DELEGATIONS WILL MEET AGAIN IN TWO WEEKS, A SPOKESMAN SAID, AND THE MEDIATORS WILL TRAVEL TO BOTH CAPITALS BEFORE THEN [PASSAGE OMITTED]";
        let lines = [
            upper[0].as_str(),
            open,
            upper[1].as_str(),
            upper[2].as_str(),
        ];
        let c = run(&page(&lines));
        assert_eq!(c.paragraphs, lines, "{c:#?}");
        // the same page in ordinary case keeps the same lines
        let mixed: Vec<String> = [P1, open, P2, P3].iter().map(|p| p.to_string()).collect();
        assert_eq!(run(&mixed.join("\n")).paragraphs.len(), 4);
        // capitals alone do not make menus prose
        let menu = run(&page(&[
            P1,
            P2,
            "HOME",
            "WORLD NEWS",
            "SPORT",
            "LATEST VIDEOS",
        ]));
        assert_eq!(menu.paragraphs, vec![P1, P2]);
    }

    #[test]
    fn a_page_of_one_paragraph_is_never_emptied_by_a_phrase_inside_it() {
        let quote = "\"Thank you, members of the committee. I want to thank our supporters, who made a donation to help us today, and I ask every one of you to continue reading the report before the vote,\" the speaker said.";
        let c = run(quote);
        assert_eq!(c.paragraphs, vec![quote], "{c:#?}");
        // with the article around it, the plea inside the page still goes
        let plea = "You could close this page. Or you could join our community and help us produce more materials like this, for as little as the cost of one cup of coffee a month.";
        assert_eq!(run(&page(&[P1, plea, P2])).paragraphs, vec![P1, P2]);
    }

    #[test]
    fn unspaced_scripts_count_as_text() {
        let ja = "先日、不正に改造したスマートフォンを販売したとして、商標法違反の疑いで二十代の男性が逮捕されたというニュースを耳にしました。";
        let c = run(&page(&[
            "メニュー",
            ja,
            ja.replace("先日", "昨日").as_str(),
        ]));
        assert_eq!(c.paragraphs.len(), 2, "{c:#?}");
    }

    #[test]
    fn degenerate_pages_have_defined_outcomes() {
        assert_eq!(run(""), Cleaned::default());
        assert!(run("\n\n \n").paragraphs.is_empty());
        // Only boilerplate: nothing is kept.
        let c = run(&page(&[
            "Subscribe",
            "* indicates required",
            "Privacy Policy",
            "Share",
        ]));
        assert!(c.paragraphs.is_empty(), "{c:#?}");
        // One very long line and many short ones.
        let long = P1.repeat(2000);
        assert_eq!(run(&long).paragraphs.len(), 1);
        let many = "Menu\n".repeat(50_000);
        assert!(run(&many).paragraphs.len() <= 1);
    }

    #[test]
    fn related_headings_are_recognised_on_whole_lines_only() {
        assert_eq!(related_heading("read also"), Some(RelatedHeading::Inline));
        assert_eq!(related_heading("most popular"), Some(RelatedHeading::Block));
        assert_eq!(
            related_heading("editors picks"),
            Some(RelatedHeading::Block)
        );
        assert_eq!(
            related_heading("related posts"),
            Some(RelatedHeading::Inline)
        );
        assert_eq!(
            related_heading("more from the guardian"),
            Some(RelatedHeading::Block)
        );
        assert_eq!(
            related_heading("the talks are related to the war in the region"),
            None
        );
    }

    #[test]
    fn page_dates() {
        assert_eq!(page_date("16/04/2025").as_deref(), Some("2025-04-16"));
        assert_eq!(
            page_date("by Tim Smith April 16, 2025 10:35 AM 2 min read").as_deref(),
            Some("2025-04-16")
        );
        assert_eq!(page_date("3 March 2024").as_deref(), Some("2024-03-03"));
        assert_eq!(page_date("Sept. 3, 2024").as_deref(), Some("2024-09-03"));
        assert_eq!(page_date("31/02/2024"), None);
        assert_eq!(page_date("nothing here"), None);
    }

    #[test]
    fn bylines() {
        let f = |s: &str| find_byline(&[Line::new(s)]);
        assert_eq!(f("byMaria Tril").as_deref(), Some("Maria Tril"));
        assert_eq!(
            f("by Tim Zadorozhnyy April 16, 2025 10:35 AM 2 min read").as_deref(),
            Some("Tim Zadorozhnyy")
        );
        assert_eq!(
            f("By Jane Doe and John Roe").as_deref(),
            Some("Jane Doe and John Roe")
        );
        assert_eq!(f("by the way, this is prose"), None);
    }
}
