//! Prints what the readers find in files, folders or standard input: one block per
//! document (source, metadata, the first paragraphs) and one line per failure.
//!
//! `cargo run -p sitrep-read --example dump -- examples/ -`
use std::path::PathBuf;

use sitrep_read::{expand, read_input, ReadOptions};

fn main() {
    let inputs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let opts = ReadOptions::default();
    for input in expand(&inputs) {
        let input = match input {
            Ok(i) => i,
            Err(f) => {
                eprintln!("FAIL {f}");
                continue;
            }
        };
        for doc in read_input(&input, &opts) {
            match doc {
                Ok(d) => {
                    println!("== {}", d.source);
                    println!("   url:       {:?}", d.url);
                    println!("   outlet:    {:?}", d.outlet);
                    println!("   title:     {:?}", d.title);
                    println!("   published: {:?}", d.published);
                    println!("   language:  {}", d.language);
                    let paras: Vec<&str> = d.text.split("\n\n").collect();
                    println!("   {} paragraphs, {} bytes", paras.len(), d.text.len());
                    for p in paras.iter().take(3) {
                        let short: String = p.chars().take(100).collect();
                        println!("   | {short}");
                    }
                }
                Err(f) => eprintln!("FAIL {f}"),
            }
        }
    }
}
