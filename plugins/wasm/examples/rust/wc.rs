// wc: counts the lines, words and bytes of its input, like wc(1), with the Rust
// standard library (stdin, stdout and formatting through WASI).
use std::io::{self, Read, Write};
fn main() {
    let mut input = Vec::new();
    io::stdin().read_to_end(&mut input).unwrap();
    let words = input.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty()).count();
    let lines = input.iter().filter(|&&b| b == b'\n').count();
    let mut out = io::stdout();
    writeln!(out, "{} {} {}", lines, words, input.len()).unwrap();
}
