//! Lenient comparison of names and titles, as a human checker would compare them.

use unicode_normalization::UnicodeNormalization;

/// Lowercases, strips diacritics, possessive endings and punctuation, collapses
/// spaces, and drops a leading "the": `"the Kremlin's"` → `"kremlin"`, `"Niger’s
/// interior ministry"` → `"niger interior ministry"`, `"Zelenskyy"` stays itself.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut chars = text.nfd().peekable();
    while let Some(c) = chars.next() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if matches!(c, '\'' | '’') && !out.is_empty() && !pending_space {
            // A possessive "’s" at the end of a word is no part of the name.
            let mut ahead = chars.clone();
            if ahead.next() == Some('s') && ahead.next().is_none_or(|n| !n.is_alphanumeric()) {
                chars.next();
            }
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '–' || c == '—' {
            pending_space = true;
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) => rest.to_owned(),
        None => out,
    }
}

/// True when two person or place names refer to the same thing: equal after folding,
/// or one is a shorter form of the other ending in the same word ("Trump" and
/// "Donald Trump"; "Mr Zelensky" is not handled here).
pub fn names_match(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let short_words: Vec<&str> = short.split(' ').collect();
    let long_words: Vec<&str> = long.split(' ').collect();
    short_words.last() == long_words.last() && short_words.iter().all(|w| long_words.contains(w))
}

/// True when two names of an organisation use the same words in another order or
/// form ("Russian Ministry of Defence" and "Ministry of Defence of Russia", "Russia's
/// defense ministry"): the same words once each is cut to its first five letters,
/// without "of", "the", "for" and "and". Only for names of two words or more.
pub fn org_names_match(a: &str, b: &str) -> bool {
    fn stems(name: &str) -> Vec<String> {
        let mut out: Vec<String> = fold(name)
            .split(' ')
            .filter(|w| !w.is_empty() && !matches!(*w, "of" | "the" | "for" | "and"))
            .map(|w| w.chars().take(5).collect())
            .collect();
        out.sort();
        out
    }
    let (x, y) = (stems(a), stems(b));
    x.len() >= 2 && x == y
}

/// True when two place names name the same place, whatever kind word or Arabic article
/// either adds ("Al-Shati refugee camp" and "Shati", "Setaung Village" and "Setaung",
/// "Kherson Region" and "Kherson").
pub fn place_names_match(a: &str, b: &str) -> bool {
    names_match(a, b) || {
        let (a, b) = (bare_place(a), bare_place(b));
        !a.is_empty() && a == b
    }
}

/// A place name folded, without kind words at its end and an article at its start.
fn bare_place(name: &str) -> String {
    const KINDS: &[&str] = &[
        "camp",
        "refugee",
        "village",
        "villages",
        "town",
        "city",
        "district",
        "sector",
        "neighborhood",
        "neighbourhood",
        "region",
        "governorate",
        "province",
        "state",
        "township",
        "area",
        "oblast",
        "quarter",
        "municipality",
        "commune",
    ];
    const ARTICLES: &[&str] = &["al", "el", "an", "ad", "as", "ash", "ar", "az"];
    let folded = fold(name);
    let mut words: Vec<&str> = folded.split(' ').collect();
    while words.len() > 1 && words.last().is_some_and(|w| KINDS.contains(w)) {
        words.pop();
    }
    if words.len() > 1 && ARTICLES.contains(&words[0]) {
        words.remove(0);
    }
    words.join(" ")
}

/// True when a predicted title states the gold title: equal after folding, or one
/// begins the other as whole words ("special envoy" and "special envoy to Ukraine"),
/// or one ends the other after words naming whom the office belongs to ("UN
/// Secretary-General" and "Secretary-General", "US envoy" and "envoy"). Words that
/// change the office are not such a prefix: "President" is not "Vice President" nor
/// "former President".
pub fn titles_match(gold: &str, predicted: &str) -> bool {
    let (g, p) = (fold(gold), fold(predicted));
    if g.is_empty() || p.is_empty() {
        return false;
    }
    g == p
        || begins_with_words(&g, &p)
        || begins_with_words(&p, &g)
        || owner_prefixed(&g, &p)
        || owner_prefixed(&p, &g)
}

fn begins_with_words(long: &str, short: &str) -> bool {
    long.strip_prefix(short)
        .is_some_and(|rest| rest.starts_with(' '))
}

/// Words before a title that make it another office.
const OFFICE_CHANGING: &[&str] = &[
    "vice",
    "deputy",
    "former",
    "ex",
    "acting",
    "assistant",
    "under",
    "interim",
    "prime",
    "first",
    "second",
    "lieutenant",
    "brigadier",
    "major",
    "wing",
    "rear",
    "co",
    "junior",
    "senior",
    "chief",
    "lance",
    "staff",
    "general",
    "field",
    "air",
    "sub",
];

/// True when `long` is `short` after a few words none of which changes the office.
fn owner_prefixed(long: &str, short: &str) -> bool {
    let Some(prefix) = long.strip_suffix(short).and_then(|p| p.strip_suffix(' ')) else {
        return false;
    };
    let words: Vec<&str> = prefix.split(' ').collect();
    // "Secretary of State" is not "State": an owner is a name or an adjective.
    let function_word = |w: &&str| matches!(*w, "of" | "to" | "for" | "in" | "on" | "and" | "at");
    words.len() <= 3
        && !words.iter().any(|w| OFFICE_CHANGING.contains(w))
        && !words.iter().any(function_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_names_match_in_another_order() {
        assert!(org_names_match(
            "Russian Ministry of Defence",
            "Ministry of Defence of Russia"
        ));
        assert!(org_names_match(
            "Russia's defense ministry",
            "Russian Defence Ministry"
        ));
        assert!(!org_names_match(
            "Ministry of Defence",
            "Ministry of Foreign Affairs"
        ));
        assert!(!org_names_match("Hamas", "Hamas"));
    }

    #[test]
    fn places_match_without_kind_words_and_articles() {
        assert!(place_names_match("Al-Shati refugee camp", "Shati"));
        assert!(place_names_match("Setaung Village", "Setaung"));
        assert!(place_names_match("Samahni sector", "samahni"));
        assert!(!place_names_match("Gaza City", "Khan Younis"));
        assert!(!place_names_match("Village", "Camp"));
    }

    #[test]
    fn folding() {
        assert_eq!(fold("The Kremlin's"), "kremlin");
        assert_eq!(fold("Niger’s interior ministry"), "niger interior ministry");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("  Élysée  Palace "), "elysee palace");
        assert_eq!(fold("non-negotiable"), "non negotiable");
    }

    #[test]
    fn surnames_match_full_names() {
        assert!(names_match("Donald Trump", "Trump"));
        assert!(names_match("Marco Rubio", "marco rubio"));
        assert!(!names_match("Marco Rubio", "Marco"));
        assert!(!names_match("Kellogg", "Keith Kellogg Jr"));
    }

    #[test]
    fn titles_match_by_words() {
        assert!(titles_match("special envoy to Ukraine", "special envoy"));
        assert!(titles_match("Defence Secretary", "defence secretary"));
        assert!(!titles_match("Secretary of State", "State"));
        assert!(!titles_match("President", "Vice President"));
        assert!(!titles_match("former President", "President"));
        assert!(titles_match("Secretary-General", "UN Secretary-General"));
        assert!(titles_match("U.S. envoy to Syria", "envoy to Syria"));
        assert!(!titles_match("Wing Commander", "Commander"));
    }
}
