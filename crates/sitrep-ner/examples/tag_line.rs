//! Tags lines of text from stdin with the embedded model and prints each token with its
//! gazetteer bits and label: `echo "Yuriy Sak met Lammy in London ." | cargo run
//! --release -p sitrep-ner --example tag_line`. Tokens are split at whitespace, with
//! leading and trailing punctuation split off. An optional argument names a model file
//! to use instead of the embedded one.

use std::io::{BufRead, Write};

use sitrep_ner::gazetteer::{Gazetteer, Scratch};
use sitrep_ner::Tagger;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let owned;
    let tagger = match std::env::args().nth(1) {
        Some(path) => {
            owned = Tagger::from_bytes(&std::fs::read(path)?)?;
            &owned
        }
        None => Tagger::embedded()?,
    };
    let gaz = Gazetteer::embedded();
    let mut scratch = Scratch::new();
    let mut flags = Vec::new();
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let mut toks: Vec<&str> = Vec::new();
        for word in line.split_whitespace() {
            let start = word.find(char::is_alphanumeric).unwrap_or(word.len());
            let end = word.rfind(char::is_alphanumeric).map_or(start, |i| {
                i + word[i..].chars().next().map_or(1, char::len_utf8)
            });
            let (pre, rest) = word.split_at(start);
            let (core, post) = rest.split_at(end.saturating_sub(start));
            toks.extend(pre.char_indices().map(|(i, c)| &pre[i..i + c.len_utf8()]));
            if !core.is_empty() {
                toks.push(core);
            }
            toks.extend(post.char_indices().map(|(i, c)| &post[i..i + c.len_utf8()]));
        }
        gaz.flags_for_tokens(&toks, &mut scratch, &mut flags);
        let labels = tagger.tag(&toks, tagger.uses_flags().then_some(flags.as_slice()));
        let mut out = String::new();
        for ((t, f), l) in toks.iter().zip(&flags).zip(&labels) {
            out.push_str(&format!("{t}\t{f:#010b}\t{l}\n"));
        }
        out.push('\n');
        if let Err(e) = w.write_all(out.as_bytes()) {
            // `… | head` closing the pipe is not an error.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(e.into());
        }
    }
    match w.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
