//! Scope expressions over HR fields (`department != 'Contractors' and country in ['UK','DE']`).
//!
//! Grammar (keywords are lower case):
//! ```text
//! expr    := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" expr ")" | field ("==" | "!=") string
//!          | field ["not"] "in" "[" string ("," string)* [","] "]"
//! string  := '…' | "…"   (backslash escapes the quote and itself)
//! field   := one or more of letters, digits, _ . : - /
//! ```
//! A field missing from the record compares as the empty string. Comparison is exact
//! (case-sensitive). Parsed once at config load; evaluation never fails and does no I/O.

use crate::model::Employee;

/// A parsed scope expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeExpr {
    source: String,
    root: Node,
}

/// Why a scope expression does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {message}")]
pub struct ScopeError {
    /// 1-based character position.
    pub position: usize,
    /// What is wrong and what is accepted.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Eq(String, String),
    In(String, Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    EqEq,
    NotEq,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

impl ScopeExpr {
    /// Parses an expression; errors name the 1-based character position.
    pub fn parse(source: &str) -> Result<Self, ScopeError> {
        let tokens = lex(source)?;
        let end = source.chars().count();
        let mut p = Parser { tokens, at: 0, end };
        let root = p.expr()?;
        if let Some((pos, tok)) = p.tokens.get(p.at) {
            return Err(error(*pos, format!("unexpected {}", describe(tok))));
        }
        Ok(Self {
            source: source.to_owned(),
            root,
        })
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the employee is in scope.
    pub fn matches(&self, employee: &Employee) -> bool {
        eval(&self.root, employee)
    }
}

fn eval(node: &Node, e: &Employee) -> bool {
    let get = |f: &str| e.field(f).unwrap_or("");
    match node {
        Node::Or(a, b) => eval(a, e) || eval(b, e),
        Node::And(a, b) => eval(a, e) && eval(b, e),
        Node::Not(a) => !eval(a, e),
        Node::Eq(f, v) => get(f) == v,
        Node::In(f, vs) => {
            let have = get(f);
            vs.iter().any(|v| v == have)
        }
    }
}

fn error(index: usize, message: impl Into<String>) -> ScopeError {
    ScopeError {
        position: index + 1,
        message: message.into(),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Str(s) => format!("string {s:?}"),
        Tok::EqEq => "'=='".into(),
        Tok::NotEq => "'!='".into(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::LBracket => "'['".into(),
        Tok::RBracket => "']'".into(),
        Tok::Comma => "','".into(),
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '-' | '/')
}

fn lex(source: &str) -> Result<Vec<(usize, Tok)>, ScopeError> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            ',' => Tok::Comma,
            '=' if chars.get(i + 1) == Some(&'=') => {
                i += 1;
                Tok::EqEq
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                i += 1;
                Tok::NotEq
            }
            '=' | '!' => {
                return Err(error(
                    i,
                    format!("'{c}' must be followed by '='; use == or !="),
                ));
            }
            '\'' | '"' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(error(start, "string is not closed")),
                        Some('\\') if matches!(chars.get(i + 1), Some(&q) if q == c || q == '\\') =>
                        {
                            text.push(chars[i + 1]);
                            i += 2;
                        }
                        Some(&q) if q == c => break,
                        Some(&other) => {
                            text.push(other);
                            i += 1;
                        }
                    }
                }
                Tok::Str(text)
            }
            c if is_ident_char(c) => {
                while i + 1 < chars.len() && is_ident_char(chars[i + 1]) {
                    i += 1;
                }
                Tok::Ident(chars[start..=i].iter().collect())
            }
            other => {
                return Err(error(
                    i,
                    format!(
                        "unexpected character {other:?}; expected a field, a quoted string, ==, !=, in, and, or, not, parentheses or brackets"
                    ),
                ));
            }
        };
        out.push((start, tok));
        i += 1;
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    at: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn is_keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s == word)
    }

    fn unexpected(&self, expected: &str) -> ScopeError {
        match self.tokens.get(self.at) {
            Some((p, t)) => error(*p, format!("expected {expected}, found {}", describe(t))),
            None => error(self.end, format!("expected {expected}, found the end")),
        }
    }

    fn expect(&mut self, tok: &Tok, expected: &str) -> Result<(), ScopeError> {
        if self.peek() == Some(tok) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn expr(&mut self) -> Result<Node, ScopeError> {
        let mut left = self.and()?;
        while self.is_keyword("or") {
            self.at += 1;
            left = Node::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, ScopeError> {
        let mut left = self.unary()?;
        while self.is_keyword("and") {
            self.at += 1;
            left = Node::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Node, ScopeError> {
        if self.is_keyword("not") {
            self.at += 1;
            return Ok(Node::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Tok::LParen) {
            self.at += 1;
            let inner = self.expr()?;
            self.expect(&Tok::RParen, "')'")?;
            return Ok(inner);
        }
        let field = match self.peek() {
            Some(Tok::Ident(s)) if !matches!(s.as_str(), "and" | "or" | "in") => s.clone(),
            _ => return Err(self.unexpected("a field name, 'not' or '('")),
        };
        self.at += 1;
        match self.peek() {
            Some(Tok::EqEq) => {
                self.at += 1;
                Ok(Node::Eq(field, self.string()?))
            }
            Some(Tok::NotEq) => {
                self.at += 1;
                Ok(Node::Not(Box::new(Node::Eq(field, self.string()?))))
            }
            Some(Tok::Ident(w)) if w == "in" => {
                self.at += 1;
                Ok(Node::In(field, self.list()?))
            }
            Some(Tok::Ident(w)) if w == "not" => {
                self.at += 1;
                if !self.is_keyword("in") {
                    return Err(self.unexpected("'in' after 'not'"));
                }
                self.at += 1;
                Ok(Node::Not(Box::new(Node::In(field, self.list()?))))
            }
            _ => Err(self.unexpected("==, != or in")),
        }
    }

    fn string(&mut self) -> Result<String, ScopeError> {
        match self.peek() {
            Some(Tok::Str(s)) => {
                let s = s.clone();
                self.at += 1;
                Ok(s)
            }
            _ => Err(self.unexpected("a quoted string")),
        }
    }

    fn list(&mut self) -> Result<Vec<String>, ScopeError> {
        self.expect(&Tok::LBracket, "'['")?;
        let mut values = vec![self.string()?];
        loop {
            match self.peek() {
                Some(Tok::Comma) => {
                    self.at += 1;
                    if self.peek() == Some(&Tok::RBracket) {
                        self.at += 1;
                        return Ok(values);
                    }
                    values.push(self.string()?);
                }
                Some(Tok::RBracket) => {
                    self.at += 1;
                    return Ok(values);
                }
                _ => return Err(self.unexpected("',' or ']'")),
            }
        }
    }
}

#[cfg(test)]
mod tests;
