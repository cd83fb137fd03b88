//! P27 Respect: the words and phrases the composer warns about before a message is sent.
//!
//! The check is a warning, never a block (a client quoting an error message or a customer
//! of theirs must still be able to write): it finds rude, obscene or threatening words in
//! es-MX and English, ignoring case and accents, on whole words only (so "computadora"
//! or "disputa" never match). Agents can still flag a sent message as abusive.
use crate::workflow::fold;

/// Words that match whole (after folding).
const WORDS: &[&str] = &[
    // es-MX
    "idiota",
    "idiotas",
    "imbecil",
    "imbeciles",
    "estupido",
    "estupida",
    "estupidos",
    "estupidas",
    "tarado",
    "tarada",
    "tarados",
    "taradas",
    "baboso",
    "babosa",
    "babosos",
    "babosas",
    "menso",
    "mensa",
    "mensos",
    "mensas",
    "puto",
    "puta",
    "putos",
    "putas",
    "putazo",
    "putazos",
    "verga",
    "vergas",
    "vergazo",
    "mierda",
    "mierdas",
    "cabron",
    "cabrona",
    "cabrones",
    "cabronas",
    "pinche",
    "pinches",
    "ojete",
    "ojetes",
    "culero",
    "culera",
    "culeros",
    "culeras",
    "mamon",
    "mamona",
    "mamones",
    "malparido",
    "malparida",
    "hdp",
    "ptm",
    "alv",
    "inepto",
    "inepta",
    "ineptos",
    "ineptas",
    "rata",
    "ratas",
    "ladrones",
    "rateros",
    // English
    "idiot",
    "idiots",
    "stupid",
    "moron",
    "morons",
    "bastard",
    "bastards",
    "bitch",
    "bitches",
    "asshole",
    "assholes",
    "shit",
    "bullshit",
    "crap",
    "dumbass",
    "retard",
    "retarded",
    "scum",
    "wtf",
    "stfu",
];

/// Word beginnings that match (whole word starting with them).
const STEMS: &[&str] = &[
    "pendej", "ching", "fuck", "jodid", "joder", "mamad", "mamar",
];

/// Threats and intimidation, as sequences of whole words.
const PHRASES: &[&str] = &[
    "te voy a matar",
    "los voy a matar",
    "les voy a romper",
    "te voy a romper",
    "se van a arrepentir",
    "te vas a arrepentir",
    "voy a ir a golpear",
    "ya se donde viven",
    "se donde vives",
    "i will kill you",
    "i ll kill you",
    "you will regret",
    "you ll regret",
];

/// The offensive words and phrases found in `text`, in order of appearance, each once.
pub fn offensive_terms(text: &str) -> Vec<String> {
    let folded: String = text.to_lowercase().chars().map(fold).collect();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut found: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !found.contains(&t) {
            found.push(t);
        }
    };
    for (i, w) in words.iter().enumerate() {
        if WORDS.contains(w) || STEMS.iter().any(|s| w.starts_with(s)) {
            push(w.to_string());
        }
        for p in PHRASES {
            let parts: Vec<&str> = p.split(' ').collect();
            if words.len() >= i + parts.len() && words[i..i + parts.len()] == parts[..] {
                push(p.to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_rude_words_ignoring_case_and_accents() {
        assert_eq!(offensive_terms("¡Son unos IDIOTAS!"), ["idiotas"]);
        assert_eq!(offensive_terms("Qué servicio tan estúpido"), ["estupido"]);
        assert_eq!(
            offensive_terms("pinche sistema, no sirve, PENDEJOS"),
            ["pinche", "pendejos"]
        );
        assert_eq!(
            offensive_terms("this is bullshit, fucking slow"),
            ["bullshit", "fucking"]
        );
    }

    #[test]
    fn finds_threats_as_phrases() {
        assert_eq!(
            offensive_terms("Si no lo arreglan, se van a arrepentir."),
            ["se van a arrepentir"]
        );
        assert_eq!(offensive_terms("I'll kill you"), ["i ll kill you"]);
    }

    #[test]
    fn ordinary_support_text_is_not_flagged() {
        for ok in [
            "La computadora no enciende y la disputa con el proveedor sigue.",
            "El correo de Putla de Guerrero rebota.",
            "Necesito cambiar la contraseña del buzón; me da vergüenza pero la olvidé.",
            "Error 500 en la página de pagos, ¿pueden revisar?",
            "Estoy desesperado: el sitio lleva caído dos horas y perdemos ventas.",
            "The checkout page is extremely slow and customers complain.",
        ] {
            assert!(
                offensive_terms(ok).is_empty(),
                "{ok}: {:?}",
                offensive_terms(ok)
            );
        }
    }

    proptest! {
        /// Any input at all (emoji, control characters, mixed scripts) is handled.
        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let _ = offensive_terms(&s);
        }

        #[test]
        fn rude_word_is_found_anywhere(pre in "[a-z ]{0,40}", post in "[a-z ]{0,40}") {
            let text = format!("{pre} idiota {post}");
            prop_assert!(offensive_terms(&text).contains(&"idiota".to_string()));
        }
    }
}
