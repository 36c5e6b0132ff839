//! The `search` and `filter` expression languages of `GET /api/v1/users`: a tokenizer, a
//! recursive-descent parser (`eq`, `sw`, `co`, `pr`, `gt/ge/lt/le`, `and`/`or`, parentheses)
//! and an evaluator over [`UserRecord`]. `search` compares strings case-insensitively and
//! allows any attribute; `filter` is the older, narrower, case-sensitive dialect. Anything
//! unparseable or outside the dialect is 400 E0000031. Pure.

use super::errors::ApiError;
use super::user::UserRecord;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::cmp::Ordering;

mod lexer;
use lexer::{Tok, tokenize};

/// Which dialect to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `search=`: any attribute, all operators, case-insensitive values.
    Search,
    /// `filter=`: a few attributes, `eq` only (plus ranges on `lastUpdated`), case-sensitive.
    Filter,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Equal.
    Eq,
    /// Starts with.
    Sw,
    /// Contains.
    Co,
    /// Greater than.
    Gt,
    /// Greater or equal.
    Ge,
    /// Less than.
    Lt,
    /// Less or equal.
    Le,
}

/// A literal on the right of an operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `"text"`.
    Str(String),
    /// `true`/`false`.
    Bool(bool),
    /// A number.
    Num(f64),
    /// `null`.
    Null,
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Both sides hold.
    And(Box<Expr>, Box<Expr>),
    /// Either side holds.
    Or(Box<Expr>, Box<Expr>),
    /// The attribute has a non-null value.
    Present(String),
    /// `attr op literal`.
    Cmp(String, Op, Literal, Option<DateTime<Utc>>),
}

/// A parsed `search`/`filter` expression, ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    expr: Expr,
    mode: Mode,
}

const DATE_ATTRS: &[&str] = &[
    "created",
    "activated",
    "statusChanged",
    "lastUpdated",
    "passwordChanged",
    "lastLogin",
];
const FILTER_ATTRS: &[&str] = &[
    "status",
    "lastUpdated",
    "id",
    "profile.login",
    "profile.email",
    "profile.firstName",
    "profile.lastName",
];
const CO_ATTRS: &[&str] = &[
    "profile.firstName",
    "profile.lastName",
    "profile.email",
    "profile.login",
];
const MAX_DEPTH: usize = 32;

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    mode: Mode,
}

fn keyword(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
}

fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn or(&mut self, depth: usize) -> Result<Expr, ApiError> {
        let mut left = self.and(depth)?;
        while keyword(self.peek(), "or") {
            self.pos += 1;
            let right = self.and(depth)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Expr, ApiError> {
        let mut left = self.primary(depth)?;
        while keyword(self.peek(), "and") {
            self.pos += 1;
            let right = self.primary(depth)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ApiError> {
        if depth > MAX_DEPTH {
            return Err(ApiError::invalid_search());
        }
        match self.next() {
            Some(Tok::Open) => {
                let e = self.or(depth + 1)?;
                match self.next() {
                    Some(Tok::Close) => Ok(e),
                    _ => Err(ApiError::invalid_search()),
                }
            }
            Some(Tok::Word(attr)) if is_attr(&attr) => self.comparison(attr),
            _ => Err(ApiError::invalid_search()),
        }
    }

    fn comparison(&mut self, attr: String) -> Result<Expr, ApiError> {
        let Some(Tok::Word(op)) = self.next() else {
            return Err(ApiError::invalid_search());
        };
        let op = op.to_ascii_lowercase();
        if self.mode == Mode::Filter && !FILTER_ATTRS.contains(&attr.as_str()) {
            return Err(ApiError::invalid_search());
        }
        if op == "pr" {
            if self.mode == Mode::Filter {
                return Err(ApiError::invalid_search());
            }
            return Ok(Expr::Present(attr));
        }
        let op = match op.as_str() {
            "eq" => Op::Eq,
            "sw" => Op::Sw,
            "co" => Op::Co,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return Err(ApiError::invalid_search()),
        };
        let allowed = match self.mode {
            Mode::Search => op != Op::Co || CO_ATTRS.contains(&attr.as_str()),
            Mode::Filter => {
                op == Op::Eq || (attr == "lastUpdated" && !matches!(op, Op::Sw | Op::Co))
            }
        };
        if !allowed {
            return Err(ApiError::invalid_search());
        }
        let lit = match self.next() {
            Some(Tok::Str(s)) => Literal::Str(s),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("true") => Literal::Bool(true),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("false") => Literal::Bool(false),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("null") => Literal::Null,
            Some(Tok::Word(w)) => Literal::Num(w.parse().map_err(|_| ApiError::invalid_search())?),
            _ => return Err(ApiError::invalid_search()),
        };
        let date = if DATE_ATTRS.contains(&attr.as_str()) {
            match &lit {
                Literal::Str(s) => Some(parse_date(s).ok_or_else(ApiError::invalid_search)?),
                _ => return Err(ApiError::invalid_search()),
            }
        } else {
            None
        };
        Ok(Expr::Cmp(attr, op, lit, date))
    }
}

fn is_attr(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && !["and", "or", "not"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
}

/// Parses an expression in the given dialect.
pub fn parse(s: &str, mode: Mode) -> Result<Filter, ApiError> {
    let toks = tokenize(s)?;
    let mut p = Parser { toks, pos: 0, mode };
    let expr = p.or(0)?;
    if p.pos != p.toks.len() {
        return Err(ApiError::invalid_search());
    }
    Ok(Filter { expr, mode })
}

impl Filter {
    /// Whether the user satisfies the expression.
    pub fn matches(&self, u: &UserRecord) -> bool {
        eval(&self.expr, u, self.mode == Mode::Search)
    }
}

fn eval(e: &Expr, u: &UserRecord, fold: bool) -> bool {
    match e {
        Expr::And(a, b) => eval(a, u, fold) && eval(b, u, fold),
        Expr::Or(a, b) => eval(a, u, fold) || eval(b, u, fold),
        Expr::Present(attr) => u.attribute(attr).is_some_and(|v| match v {
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        }),
        Expr::Cmp(attr, op, lit, date) => match u.attribute(attr) {
            None => *lit == Literal::Null && *op == Op::Eq,
            Some(Value::Array(items)) => items.iter().any(|v| cmp_value(v, *op, lit, *date, fold)),
            Some(v) => cmp_value(&v, *op, lit, *date, fold),
        },
    }
}

fn ordered(ord: Ordering, op: Op) -> bool {
    match op {
        Op::Eq => ord == Ordering::Equal,
        Op::Gt => ord == Ordering::Greater,
        Op::Ge => ord != Ordering::Less,
        Op::Lt => ord == Ordering::Less,
        Op::Le => ord != Ordering::Greater,
        Op::Sw | Op::Co => false,
    }
}

fn cmp_value(v: &Value, op: Op, lit: &Literal, date: Option<DateTime<Utc>>, fold: bool) -> bool {
    if let Some(d) = date {
        return v
            .as_str()
            .and_then(parse_date)
            .is_some_and(|have| ordered(have.cmp(&d), op));
    }
    match (v, lit) {
        (Value::String(have), Literal::Str(want)) => {
            let (h, w) = if fold {
                (have.to_lowercase(), want.to_lowercase())
            } else {
                (have.clone(), want.clone())
            };
            match op {
                Op::Sw => h.starts_with(&w),
                Op::Co => h.contains(&w),
                _ => ordered(h.cmp(&w), op),
            }
        }
        (Value::Number(n), Literal::Num(want)) => n
            .as_f64()
            .and_then(|h| h.partial_cmp(want))
            .is_some_and(|o| ordered(o, op)),
        (Value::Number(n), Literal::Str(want)) => want
            .parse::<f64>()
            .ok()
            .and_then(|w| n.as_f64().and_then(|h| h.partial_cmp(&w)))
            .is_some_and(|o| ordered(o, op)),
        (Value::Bool(b), Literal::Bool(want)) => op == Op::Eq && b == want,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
