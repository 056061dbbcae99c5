package isa

import (
	"fmt"
	"strconv"
	"strings"
)

// tokKind is the kind of an assembler token.
type tokKind uint8

const (
	tEOL    tokKind = iota // end of line (or of a comment)
	tIdent                 // names, mnemonics, directives (".word") and registers ("fp")
	tNumber                // integer literal, value in tok.val
	tString                // "..." with escapes, value in tok.text
	tChar                  // 'c', value in tok.val
	tPunct                 // one of [ ] , : + - * / ( )
)

type token struct {
	kind tokKind
	text string // identifier, punctuation, or decoded string
	val  uint64
	col  int // 1-based column
}

func (t token) String() string {
	switch t.kind {
	case tEOL:
		return "end of line"
	case tNumber, tChar:
		return fmt.Sprintf("number %d", t.val)
	case tString:
		return fmt.Sprintf("string %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// lexLine splits one source line into tokens, ending with tEOL. Comments start with
// ';', '#' or "//".
func lexLine(line string) ([]token, *posError) {
	var toks []token
	i := 0
	for i < len(line) {
		c := line[i]
		col := i + 1
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == ';' || c == '#' || (c == '/' && i+1 < len(line) && line[i+1] == '/'):
			i = len(line)
		case strings.IndexByte("[],:+-*/()", c) >= 0:
			toks = append(toks, token{kind: tPunct, text: line[i : i+1], col: col})
			i++
		case isIdentStart(c):
			j := i + 1
			for j < len(line) && isIdentPart(line[j]) {
				j++
			}
			toks = append(toks, token{kind: tIdent, text: line[i:j], col: col})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(line) && (isIdentPart(line[j])) {
				j++
			}
			lit, base := strings.ReplaceAll(line[i:j], "_", ""), 10
			if len(lit) > 1 && lit[0] == '0' && strings.IndexByte("xXoObB", lit[1]) >= 0 {
				base = 0
			}
			v, err := strconv.ParseUint(lit, base, 64)
			if err != nil || v > 1<<32-1 {
				return nil, &posError{col: col, msg: fmt.Sprintf("bad number %q (want decimal, 0x hex, 0o octal or 0b binary below 2^32)", line[i:j])}
			}
			toks = append(toks, token{kind: tNumber, text: line[i:j], val: v, col: col})
			i = j
		case c == '"':
			s, n, err := unquote(line[i:], '"')
			if err != "" {
				return nil, &posError{col: col + n, msg: err}
			}
			toks = append(toks, token{kind: tString, text: s, col: col})
			i += n
		case c == '\'':
			s, n, err := unquote(line[i:], '\'')
			if err == "" && len(s) != 1 {
				err = "a character literal holds exactly one byte"
			}
			if err != "" {
				return nil, &posError{col: col, msg: err}
			}
			toks = append(toks, token{kind: tChar, text: line[i : i+n], val: uint64(s[0]), col: col})
			i += n
		default:
			return nil, &posError{col: col, msg: fmt.Sprintf("unexpected character %q", c)}
		}
	}
	return append(toks, token{kind: tEOL, col: len(line) + 1}), nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '.' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func isIdentPart(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

// unquote decodes a quoted literal at the start of s (which starts with q). It returns
// the bytes, the length consumed, and an error message (or "").
func unquote(s string, q byte) (string, int, string) {
	var out []byte
	i := 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == q:
			return string(out), i + 1, ""
		case c == '\\':
			if i+1 >= len(s) {
				return "", i, "unterminated escape"
			}
			e := s[i+1]
			i += 2
			switch e {
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			case 'r':
				out = append(out, '\r')
			case '0':
				out = append(out, 0)
			case '\\', '"', '\'':
				out = append(out, e)
			case 'x':
				if i+2 > len(s) {
					return "", i, `\x needs two hex digits`
				}
				v, err := strconv.ParseUint(s[i:i+2], 16, 8)
				if err != nil {
					return "", i, `\x needs two hex digits`
				}
				out = append(out, byte(v))
				i += 2
			default:
				return "", i - 1, fmt.Sprintf("unknown escape \\%c (use \\n \\t \\r \\0 \\\\ \\\" \\' \\xNN)", e)
			}
		default:
			out = append(out, c)
			i++
		}
	}
	return "", i, "unterminated literal"
}

// posError is an error at a column of the current line.
type posError struct {
	col int
	msg string
}
