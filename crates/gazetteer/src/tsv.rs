//! A small reader for the tab-separated data files: a header row naming the columns, `#` comments,
//! empty cells for "unknown", `|` between the items of a list; every error names the file and line.

use crate::GazetteerError;

/// One parsed file: its header and its data rows (with their 1-based line numbers).
pub(crate) struct Table<'a> {
    file: String,
    columns: Vec<&'a str>,
    rows: Vec<(usize, Vec<&'a str>)>,
}

impl<'a> Table<'a> {
    /// Parses `text` (the content of `file`) and checks that every `required` column is present.
    pub(crate) fn parse(
        file: &str,
        text: &'a str,
        required: &[&str],
    ) -> Result<Self, GazetteerError> {
        let mut columns: Option<Vec<&'a str>> = None;
        let mut rows = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&'a str> = line.split('\t').collect();
            match &columns {
                None => {
                    for name in required {
                        if !fields.iter().any(|f| f.trim() == *name) {
                            return Err(parse_error(
                                file,
                                line_no,
                                format!("header lacks the required column `{name}`"),
                            ));
                        }
                    }
                    columns = Some(fields.iter().map(|f| f.trim()).collect());
                }
                Some(cols) => {
                    if fields.len() != cols.len() {
                        return Err(parse_error(
                            file,
                            line_no,
                            format!(
                                "expected {} tab-separated fields (as in the header), found {}",
                                cols.len(),
                                fields.len()
                            ),
                        ));
                    }
                    rows.push((line_no, fields));
                }
            }
        }
        let Some(columns) = columns else {
            return Err(parse_error(
                file,
                1,
                "empty file: no header row".to_string(),
            ));
        };
        Ok(Table {
            file: file.to_string(),
            columns,
            rows,
        })
    }

    /// The data rows, each as a [`Row`] that reads cells by column name.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_, 'a>> {
        self.rows.iter().map(move |(line, fields)| Row {
            table: self,
            line: *line,
            fields,
        })
    }
}

/// One data row of a [`Table`].
pub(crate) struct Row<'t, 'a> {
    table: &'t Table<'a>,
    line: usize,
    fields: &'t [&'a str],
}

impl<'a> Row<'_, 'a> {
    /// The trimmed cell of column `name`, `None` when the column is absent or the cell empty.
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        let index = self.table.columns.iter().position(|c| *c == name)?;
        let value = self.fields.get(index)?.trim();
        (!value.is_empty()).then_some(value)
    }

    /// The cell of column `name`, or an error naming the line when it is empty.
    pub(crate) fn required(&self, name: &str) -> Result<&'a str, GazetteerError> {
        self.get(name)
            .ok_or_else(|| self.error(format!("empty required field `{name}`")))
    }

    /// The `|`-separated items of column `name` (empty items dropped).
    pub(crate) fn list(&self, name: &str) -> Vec<&'a str> {
        self.get(name)
            .map(|v| {
                v.split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The cell of column `name` parsed as `T`, `None` when empty, an error when unparsable.
    pub(crate) fn parsed<T: std::str::FromStr>(
        &self,
        name: &str,
    ) -> Result<Option<T>, GazetteerError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<T>()
                .map(Some)
                .map_err(|_| self.error(format!("field `{name}`: cannot parse {v:?}"))),
        }
    }

    /// An error located at this row.
    pub(crate) fn error(&self, message: String) -> GazetteerError {
        parse_error(&self.table.file, self.line, message)
    }
}

fn parse_error(file: &str, line: usize, message: String) -> GazetteerError {
    GazetteerError::Parse {
        file: file.to_string(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_by_column_name_and_skips_comments() {
        let text = "# comment\nb\ta\n\n1\tx|y| \n";
        let t = Table::parse("f.tsv", text, &["a"]).unwrap();
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get("a"), Some("x|y|"));
        assert_eq!(rows[0].list("a"), vec!["x", "y"]);
        assert_eq!(rows[0].parsed::<u32>("b").unwrap(), Some(1));
        assert_eq!(rows[0].get("missing"), None);
    }

    #[test]
    fn wrong_field_count_names_the_line() {
        let text = "a\tb\n1\t2\n3\n";
        let err = Table::parse("f.tsv", text, &["a"]).err().unwrap();
        assert_eq!(
            err.to_string(),
            "f.tsv:3: expected 2 tab-separated fields (as in the header), found 1"
        );
    }

    #[test]
    fn missing_required_column_is_an_error() {
        let err = Table::parse("f.tsv", "a\n1\n", &["b"]).err().unwrap();
        assert!(err.to_string().contains("`b`"), "{err}");
    }

    #[test]
    fn bad_number_is_an_error() {
        let t = Table::parse("f.tsv", "n\nabc\n", &["n"]).unwrap();
        let row = t.rows().next().unwrap();
        let err = row.parsed::<f64>("n").err().unwrap();
        assert_eq!(err.to_string(), "f.tsv:2: field `n`: cannot parse \"abc\"");
    }
}
