//! Knowledge-base search text processing, shared by the worker (queries), xtask (content
//! loading) and tests: accent/case folding, tokenizing, Spanish stop words, Snowball Spanish
//! stemming, edit distance for typo tolerance, FTS5 query building and highlighted snippets.
//!
//! The FTS5 index stores *stems* (space separated), never raw text, so the same functions
//! must run at index and at query time. Everything here is deterministic on the folded form
//! of a word, which makes "configuracion", "CONFIGURACIÓN" and "configuración" identical.
use std::collections::BTreeSet;

use rust_stemmers::{Algorithm, Stemmer};

/// Bump when tokenizing/stemming changes: stored index terms are then rebuilt by the loader.
pub const INDEX_VERSION: u32 = 1;
/// Longest token kept (longer runs are noise: hashes, base64, URLs).
pub const MAX_TOKEN_CHARS: usize = 40;
/// Longest search text stored in the search log (folded characters).
pub const LOG_QUERY_MAX: usize = 100;
/// Most distinct words of a query used for matching (the rest are ignored).
pub const MAX_QUERY_WORDS: usize = 10;
/// Typo tolerance applies to words of at least this many letters.
pub const FUZZY_MIN_CHARS: usize = 5;
/// A last word shorter than this is not expanded as a prefix.
pub const PREFIX_MIN_CHARS: usize = 2;

/// Lower-cases and removes diacritics (á→a, ñ→n, ü→u, ç→c…).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        for l in c.to_lowercase() {
            out.push(fold_char(l));
        }
    }
    out
}

fn fold_char(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ō' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        'ý' | 'ÿ' => 'y',
        c => c,
    }
}

/// Folded words of a text: runs of letters/digits. Over-long runs are dropped.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_TOKEN_CHARS)
        .map(str::to_string)
        .collect()
}

/// Spanish function words (folded) that carry no meaning for search. "no" is one of them:
/// titles like "Mi sitio no carga" are found by their content words.
const STOP_WORDS: &[&str] = &[
    "a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "asi",
    "aun", "cada", "como", "con", "contra", "cual", "cuales", "cuando", "de", "del", "desde",
    "donde", "durante", "e", "el", "ella", "ellas", "ellos", "en", "entre", "era", "es", "esa",
    "esas", "ese", "eso", "esos", "esta", "estan", "estas", "este", "esto", "estos", "fue", "ha",
    "han", "hay", "la", "las", "le", "les", "lo", "los", "me", "mi", "mis", "mucho", "muy", "nada",
    "ni", "no", "nos", "o", "os", "otra", "otras", "otro", "otros", "para", "pero", "por",
    "porque", "puedo", "que", "quien", "se", "sea", "ser", "si", "sin", "sobre", "son", "su",
    "sus", "tambien", "te", "ti", "tu", "tus", "u", "un", "una", "unas", "uno", "unos", "y", "ya",
    "yo", // English function words, for English queries.
    "the", "of", "to", "and", "is", "in", "on", "for", "my", "how", "an", "it", "with",
];

pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.contains(&folded)
}

/// Stem of a folded word with the Spanish Snowball algorithm. Suffixes whose Snowball rule is
/// spelled with an accent ("-ción", "-logía") get it back first, so "configuracion" and
/// "configuración" both reduce to "configur", like "configurar".
pub fn stem(folded: &str) -> String {
    let stemmer = Stemmer::create(Algorithm::Spanish);
    let accented = reaccent(folded);
    let s = match &accented {
        Some(a) => stemmer.stem(a).into_owned(),
        None => stemmer.stem(folded).into_owned(),
    };
    let s = fold(&s);
    if s.is_empty() {
        folded.to_string()
    } else {
        s
    }
}

fn reaccent(w: &str) -> Option<String> {
    for (plain, accented) in [("cion", "ción"), ("logia", "logía"), ("logias", "logías")] {
        if let Some(base) = w.strip_suffix(plain) {
            if !base.is_empty() {
                return Some(format!("{base}{accented}"));
            }
        }
    }
    None
}

/// Stems of a text for the index: stop words removed, in order, space separated.
pub fn index_terms(text: &str) -> String {
    words(text)
        .iter()
        .filter(|w| !is_stop_word(w))
        .map(|w| stem(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Distinct (word, stem) pairs of a text: the vocabulary used for typo and prefix lookups.
pub fn vocabulary<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut set = BTreeSet::new();
    for t in texts {
        for w in words(t) {
            if !is_stop_word(&w) {
                let s = stem(&w);
                set.insert((w, s));
            }
        }
    }
    set.into_iter().collect()
}

/// One meaningful word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// Folded surface form, e.g. "contrasena".
    pub word: String,
    /// Its stem, e.g. "contrasen".
    pub stem: String,
    /// The last word while typing: also matches words that start with it.
    pub prefix: bool,
    /// Long enough for one-edit typo tolerance.
    pub fuzzy: bool,
}

/// Splits a raw query into meaningful words. Any input is accepted: FTS syntax characters
/// (`"`, `*`, `-`, parentheses, `NEAR`, `AND`…) are separators or plain words here and never
/// reach FTS5 unquoted. The last word is a prefix unless the query ends with a space.
pub fn parse_query(q: &str) -> Vec<QueryWord> {
    let all = words(q);
    let ends_open = q.chars().last().is_some_and(|c| c.is_alphanumeric());
    let mut out: Vec<QueryWord> = Vec::new();
    let last_index = all.len().saturating_sub(1);
    for (i, w) in all.iter().enumerate() {
        let is_last = i == last_index;
        let prefix = is_last && ends_open && w.chars().count() >= PREFIX_MIN_CHARS;
        let stop = is_stop_word(w);
        // A lone stop word being typed ("con…") still works as a prefix.
        if stop && !(prefix && out.is_empty() && w.chars().count() >= 3) {
            continue;
        }
        let s = stem(w);
        if let Some(existing) = out.iter_mut().find(|x| x.stem == s) {
            existing.prefix |= prefix;
            continue;
        }
        if out.len() >= MAX_QUERY_WORDS {
            break;
        }
        out.push(QueryWord {
            fuzzy: w.chars().count() >= FUZZY_MIN_CHARS,
            word: w.clone(),
            stem: s,
            prefix,
        });
    }
    out
}

/// Optimal-string-alignment distance (insert, delete, substitute, swap neighbours), or
/// `None` when it exceeds `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    let dist = d[a.len() * w + b.len()];
    (dist <= max).then_some(dist)
}

/// Words of the vocabulary within one edit of `word` (both folded), closest first.
pub fn typo_candidates<'a>(
    word: &str,
    vocabulary: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = vocabulary
        .into_iter()
        .filter(|v| *v != word)
        .filter_map(|v| edit_distance(word, v, 1).map(|d| (d, v)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, v)| v).collect()
}

/// An FTS5 MATCH expression over alternative groups: each group is one query word with its
/// alternatives (own stem, typo corrections, prefix completions). Terms are quoted, and only
/// folded letters/digits ever get here, so no input can produce FTS5 syntax.
pub fn match_expression(groups: &[Vec<String>], all: bool) -> Option<String> {
    let parts: Vec<String> = groups
        .iter()
        .filter_map(|alts| {
            let terms: Vec<String> = alts
                .iter()
                .filter(|t| !t.is_empty() && t.chars().all(char::is_alphanumeric))
                .map(|t| format!("\"{t}\""))
                .collect();
            match terms.len() {
                0 => None,
                1 => Some(terms[0].clone()),
                _ => Some(format!("({})", terms.join(" OR "))),
            }
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(parts.join(if all { " AND " } else { " OR " }))
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A short excerpt of `text` (about `max_words` words) around the densest group of words whose
/// stem is in `stems`, HTML-escaped, with those words wrapped in `<mark>`. Returns the text's
/// beginning when nothing matches.
pub fn snippet(text: &str, stems: &BTreeSet<String>, max_words: usize) -> String {
    let max_words = max_words.max(1);
    // (byte start, byte end, matched stem) of every word of the original text.
    let mut toks: Vec<(usize, usize, Option<String>)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let w = fold(&text[s..i]);
                let st = (!is_stop_word(&w))
                    .then(|| stem(&w))
                    .filter(|x| stems.contains(x));
                toks.push((s, i, st));
                start = None;
            }
            _ => {}
        }
    }
    if toks.is_empty() {
        return String::new();
    }
    // Best window: most distinct matched stems, then most matches, then earliest.
    let mut best = (0usize, 0usize, 0usize);
    for from in 0..toks.len() {
        let to = (from + max_words).min(toks.len());
        let mut distinct = BTreeSet::new();
        let mut hits = 0;
        for t in &toks[from..to] {
            if let Some(s) = &t.2 {
                distinct.insert(s.as_str());
                hits += 1;
            }
        }
        if (distinct.len(), hits) > (best.1, best.2) {
            best = (from, distinct.len(), hits);
        }
        if to == toks.len() {
            break;
        }
    }
    let mut from = best.0;
    // Start a little before the first hit, for context.
    if best.1 > 0 {
        let first_hit = (from..toks.len())
            .find(|&i| toks[i].2.is_some())
            .unwrap_or(from);
        from = first_hit
            .saturating_sub(max_words / 4)
            .max(from.saturating_sub(max_words / 4));
    }
    let to = (from + max_words).min(toks.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut pos = toks[from].0;
    for t in &toks[from..to] {
        out.push_str(&escape_html(&text[pos..t.0]));
        let w = escape_html(&text[t.0..t.1]);
        if t.2.is_some() {
            out.push_str("<mark>");
            out.push_str(&w);
            out.push_str("</mark>");
        } else {
            out.push_str(&w);
        }
        pos = t.1;
    }
    if to < toks.len() {
        out.push('…');
    } else {
        out.push_str(&escape_html(text[pos..].trim_end()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(q: &str) -> Vec<String> {
        parse_query(q).into_iter().map(|w| w.stem).collect()
    }

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("CONFIGURACIÓN"), "configuracion");
        assert_eq!(fold("Contraseña"), "contrasena");
        assert_eq!(fold("pingüino ÀÉÎÕÜ"), "pinguino aeiou");
        assert_eq!(
            words("¿Cómo   configuro el e-mail?"),
            ["como", "configuro", "el", "e", "mail"]
        );
    }

    #[test]
    fn accents_and_case_do_not_change_the_stem() {
        for v in [
            "configuracion",
            "CONFIGURACIÓN",
            "configuración",
            "Configuracion",
        ] {
            assert_eq!(stem(&fold(v)), "configur", "{v}");
        }
    }

    #[test]
    fn spanish_stemming_joins_word_families() {
        assert_eq!(stem("correos"), stem("correo"));
        assert_eq!(stem("configurar"), stem(&fold("configuración")));
        assert_eq!(stem("respaldos"), stem("respaldo"));
        assert_eq!(stem(&fold("contraseñas")), stem(&fold("contraseña")));
        assert_eq!(stem("certificados"), stem("certificado"));
        assert_eq!(stem("restaurar"), stem(&fold("restauración")));
    }

    #[test]
    fn stop_words_are_dropped_and_last_word_is_a_prefix() {
        let q = parse_query("¿Cómo cambio la contraseña del correo");
        let got: Vec<&str> = q.iter().map(|w| w.word.as_str()).collect();
        assert_eq!(got, ["cambio", "contrasena", "correo"]);
        assert!(q[2].prefix && !q[0].prefix);
        assert!(q[1].fuzzy);
        assert!(!parse_query("correo ").last().unwrap().prefix);
        assert!(parse_query("de la que ").is_empty());
        assert_eq!(
            parse_query("con").len(),
            1,
            "a lone stop word being typed is a prefix"
        );
    }

    #[test]
    fn query_syntax_characters_are_inert() {
        for q in [
            "\"",
            "*",
            "NEAR(a b)",
            "-x",
            "( ) ^ : +",
            "a\" OR \"b",
            "correo*",
            "",
            " ",
            "ñ",
        ] {
            let qw = parse_query(q);
            let groups: Vec<Vec<String>> = qw.iter().map(|w| vec![w.stem.clone()]).collect();
            if let Some(expr) = match_expression(&groups, true) {
                assert!(
                    !expr.contains('*') && !expr.contains('(') && !expr.contains('-'),
                    "{expr}"
                );
            }
        }
        assert_eq!(stems("NEAR correo"), ["near", "corre"]);
        let long = "correo ".repeat(80);
        assert_eq!(parse_query(&long).len(), 1);
        let many: String = (0..60).map(|i| format!("palabra{i} ")).collect();
        assert_eq!(parse_query(&many).len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn match_expression_groups_alternatives() {
        let g = vec![
            vec!["corre".to_string()],
            vec!["iphon".to_string(), "iph".to_string()],
        ];
        assert_eq!(
            match_expression(&g, true).unwrap(),
            "\"corre\" AND (\"iphon\" OR \"iph\")"
        );
        assert_eq!(
            match_expression(&g, false).unwrap(),
            "\"corre\" OR (\"iphon\" OR \"iph\")"
        );
        assert_eq!(match_expression(&[vec!["a\"b".into()]], true), None);
    }

    #[test]
    fn edit_distance_counts_one_edit() {
        assert_eq!(edit_distance("certifcado", "certificado", 1), Some(1));
        assert_eq!(edit_distance("contrasena", "contrasena", 1), Some(0));
        assert_eq!(edit_distance("outlok", "outlook", 1), Some(1));
        assert_eq!(edit_distance("licensia", "licencia", 1), Some(1));
        assert_eq!(edit_distance("correo", "coreros", 1), None);
        assert_eq!(edit_distance("hakeado", "hackeado", 2), Some(1));
        assert_eq!(edit_distance("ab", "ba", 1), Some(1), "transposition");
        assert_eq!(edit_distance("respaldo", "restaurar", 1), None);
        assert_eq!(edit_distance("ñandú", "nandu", 2), Some(2));
    }

    #[test]
    fn typo_candidates_find_the_right_word() {
        let vocab = ["certificado", "certificados", "correo", "propagacion"];
        assert_eq!(typo_candidates("certifcado", vocab), ["certificado"]);
        assert_eq!(typo_candidates("propagasion", vocab), ["propagacion"]);
        assert!(typo_candidates("zzzzz", vocab).is_empty());
    }

    #[test]
    fn snippets_highlight_and_escape() {
        let text = "Antes de empezar <script>alert(1)</script> revisa tus Correos y la configuración del iPhone & más.";
        let set: BTreeSet<String> = ["corre", "configur"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let s = snippet(text, &set, 30);
        assert!(s.contains("<mark>Correos</mark>"), "{s}");
        assert!(s.contains("<mark>configuración</mark>"), "{s}");
        assert!(
            s.contains("&lt;script&gt;") && !s.contains("<script"),
            "{s}"
        );
        assert!(s.contains("&amp; más."), "{s}");
        let short = snippet(&"palabra ".repeat(100), &set, 10);
        assert!(short.ends_with('…') && !short.contains("<mark>"));
        let tail = snippet(&format!("{} correo final", "uno ".repeat(50)), &set, 8);
        assert!(
            tail.starts_with('…') && tail.contains("<mark>correo</mark>"),
            "{tail}"
        );
    }

    #[test]
    fn index_terms_and_vocabulary() {
        assert_eq!(
            index_terms("Configurar el correo en iPhone"),
            "configur corre iphon"
        );
        let v = vocabulary(["Correos del iPhone", "correos"]);
        assert_eq!(
            v,
            [
                ("correos".into(), "corre".into()),
                ("iphone".into(), "iphon".into())
            ]
        );
    }
}
