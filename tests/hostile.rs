//! Hostile and malformed operation folders: tests/hostile/<name>/.
//!
//! Each fixture is copied into a scratch folder (some are completed there:
//! a 10 MB string, a symbolic link, a FIFO, nesting 100 000 deep), then
//! `opbrief build --strict` runs on it with `--out` inside the scratch
//! folder. Its expect.txt gives the exit code (`exit: N`; `check: N` when
//! `opbrief check` differs — none does now that check renders the
//! templates too) and substrings stderr must contain. Every fixture also proves: no panic, no
//! file written or changed outside `--out`, and a revision only on success.
//!
//! Unix only: several fixtures are symbolic links and FIFOs.
#![cfg(unix)]

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The scratch layout: `<scratch>/op` (the fixture), `<scratch>/out`.
struct Scratch {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Scratch {
    fn op(&self) -> PathBuf {
        self.root.join("op")
    }
    fn out(&self) -> PathBuf {
        self.root.join("out")
    }
}

/// Every path under `dir` (links not followed) with its content or kind,
/// except the `--out` folder.
fn snapshot(dir: &Path, skip: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path == skip {
            continue;
        }
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            into.insert(path.clone(), b"<dir>".to_vec());
            snapshot(&path, skip, into);
        } else if kind.is_file() {
            into.insert(path.clone(), std::fs::read(&path).unwrap());
        } else if kind.is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            into.insert(path, target.to_string_lossy().as_bytes().to_vec());
        } else {
            into.insert(path, b"<special>".to_vec());
        }
    }
}

struct Expect {
    exit: i32,
    check: i32,
    needles: Vec<String>,
}

fn expectations(dir: &Path) -> Expect {
    let text = std::fs::read_to_string(dir.join("expect.txt")).expect("expect.txt");
    let mut exit = None;
    let mut check = None;
    let mut needles = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(code) = line.strip_prefix("exit: ") {
            exit = Some(code.trim().parse().expect("exit: N"));
        } else if let Some(code) = line.strip_prefix("check: ") {
            check = Some(code.trim().parse().expect("check: N"));
        } else {
            needles.push(line.to_string());
        }
    }
    let exit = exit.expect("expect.txt names the exit code");
    Expect {
        exit,
        check: check.unwrap_or(exit),
        needles,
    }
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_opbrief"))
        .current_dir(dir)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the opbrief binary runs")
}

fn hostile(name: &str, prepare: fn(&Scratch)) {
    let fixture = repo().join("tests/hostile").join(name);
    let expect = expectations(&fixture);
    let tmp = tempfile::tempdir().unwrap();
    let scratch = Scratch {
        root: tmp.path().to_path_buf(),
        _tmp: tmp,
    };
    copy_dir(&fixture, &scratch.op());
    std::fs::remove_file(scratch.op().join("expect.txt")).unwrap();
    prepare(&scratch);
    let mut before = BTreeMap::new();
    snapshot(&scratch.root, &scratch.out(), &mut before);

    // Relative paths, so messages read `op/returns/x.toml:4:…` whatever the
    // scratch folder is called.
    let out = run_in(&scratch.root, &["build", "op", "--out", "out", "--strict"]);
    let err = stderr(&out);
    let shown = || {
        let cut: String = err.chars().take(4000).collect();
        format!("{name}: stderr:\n{cut}\nstdout:\n{}", stdout(&out))
    };
    assert_eq!(out.status.code(), Some(expect.exit), "{}", shown());
    assert!(!err.contains("panicked"), "{}", shown());
    for needle in &expect.needles {
        assert!(
            err.contains(needle.as_str()),
            "expected `{needle}` in {}",
            shown()
        );
    }
    // A hostile value quoted in a message must not flood the terminal.
    assert!(
        err.len() < 1_200_000,
        "{name}: {} bytes of stderr",
        err.len()
    );

    let checked = run_in(&scratch.root, &["check", "op"]);
    assert_eq!(
        checked.status.code(),
        Some(expect.check),
        "{name}: check: {}",
        stderr(&checked)
    );
    assert!(!stderr(&checked).contains("panicked"), "{name}: check");

    let mut after = BTreeMap::new();
    snapshot(&scratch.root, &scratch.out(), &mut after);
    let changed: Vec<&PathBuf> = after
        .keys()
        .chain(before.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    assert!(
        changed.is_empty(),
        "{name}: written outside --out: {changed:?}"
    );

    // A revision exactly when the build succeeded, and never a leftover.
    let mut revisions = Vec::new();
    if scratch.out().exists() {
        for op_dir in std::fs::read_dir(scratch.out()).unwrap() {
            for entry in std::fs::read_dir(op_dir.unwrap().path()).unwrap() {
                let file_name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(!file_name.starts_with(".tmp-rev-"), "{name}: {file_name}");
                if file_name.starts_with("rev-") {
                    revisions.push(file_name);
                }
            }
        }
    }
    let expected: Vec<String> = match expect.exit {
        0 => vec!["rev-001".into()],
        _ => Vec::new(),
    };
    assert_eq!(revisions, expected, "{name}");
}

fn nothing(_: &Scratch) {}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const TEN_MB: usize = 10 * 1024 * 1024;

fn ten_mb_reporter(s: &Scratch) {
    let name = "A".repeat(TEN_MB);
    write(
        &s.op().join("returns/austria.toml"),
        format!("reporter = \"{name}\"\n\n[figures]\nofficers = 12\n"),
    );
}

fn ten_mb_figure_text(s: &Scratch) {
    let digits = "1".repeat(TEN_MB);
    write(
        &s.op().join("returns/austria.toml"),
        format!("reporter = \"Austria\"\n\n[figures]\nofficers = \"{digits}\"\n"),
    );
}

fn ten_mb_description(s: &Scratch) {
    let op = std::fs::read_to_string(s.op().join("operation.toml")).unwrap();
    let words = "lorem ipsum ".repeat(TEN_MB / 12);
    write(
        &s.op().join("operation.toml"),
        format!("description = \"{words}\"\n{op}"),
    );
}

/// A long but admissible description (under the 1 MiB file limit) still
/// builds: layout and text stay linear.
fn long_description(s: &Scratch) {
    let op = std::fs::read_to_string(s.op().join("operation.toml")).unwrap();
    let words = "lorem ipsum dolor sit amet ".repeat(20_000 / 27);
    write(
        &s.op().join("operation.toml"),
        format!("description = \"{words}\"\n{op}"),
    );
}

/// A description longer than a workbook cell: refused at check, not
/// found out when the workbook is written.
fn description_longer_than_a_cell(s: &Scratch) {
    let op = std::fs::read_to_string(s.op().join("operation.toml")).unwrap();
    write(
        &s.op().join("operation.toml"),
        format!("description = \"{}\"\n{op}", "a".repeat(40_000)),
    );
}

/// 4 001 metrics (written at test time): more than a Returns sheet has
/// columns for.
fn more_metrics_than_columns(s: &Scratch) {
    let mut op = std::fs::read_to_string(s.op().join("operation.toml")).unwrap();
    for i in 0..4001 {
        op.push_str(&format!(
            "\n[[metrics]]\nkey = \"m{i}\"\nlabel = \"M{i}\"\n"
        ));
    }
    write(&s.op().join("operation.toml"), op);
}

const DEEP: usize = 100_000;

fn deep_nested_arrays(s: &Scratch) {
    write(
        &s.op().join("returns/austria.toml"),
        format!(
            "reporter = \"Austria\"\n\n[figures]\nofficers = {}{}\n",
            "[".repeat(DEEP),
            "]".repeat(DEEP)
        ),
    );
}

fn deep_nested_inline_tables(s: &Scratch) {
    write(
        &s.op().join("returns/austria.toml"),
        format!(
            "reporter = \"Austria\"\n\n[figures]\nofficers = {}1{}\n",
            "{a=".repeat(DEEP),
            "}".repeat(DEEP)
        ),
    );
}

fn deep_dotted_key(s: &Scratch) {
    write(
        &s.op().join("returns/austria.toml"),
        format!(
            "reporter = \"Austria\"\n\n[figures]\n{} = 1\n",
            vec!["a"; DEEP].join(".")
        ),
    );
}

/// Metric parts nested as deep as toml allows: the catalogue, the checks
/// and every renderer walk the tree without trouble.
fn deep_metric_parts(s: &Scratch) {
    // toml counts each inline table and array: 2 levels per metric, 80 in all.
    let depth = 30;
    let mut metric = String::from("{ key = \"leaf\", label = \"Leaf\" }");
    for level in (0..depth).rev() {
        metric = format!(
            "{{ key = \"m{level}\", label = \"Level {level}\", breakdown = \"partial\", parts = [{metric}] }}"
        );
    }
    let op = std::fs::read_to_string(s.op().join("operation.toml")).unwrap();
    write(
        &s.op().join("operation.toml"),
        format!("metrics = [{metric}]\n{op}"),
    );
    let path: Vec<String> = (0..depth).map(|l| format!("m{l}")).collect();
    write(
        &s.op().join("returns/austria.toml"),
        format!(
            "reporter = \"Austria\"\n\n[figures.{}]\ntotal = 5\nleaf = 3\n",
            path.join(".")
        ),
    );
}

fn symlink(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn symlink_outside(s: &Scratch) {
    write(
        &s.root.join("secret.toml"),
        "reporter = \"Serbia\"\n\n[figures]\nofficers = 999\n",
    );
    symlink(
        Path::new("../../secret.toml"),
        &s.op().join("returns/evil.toml"),
    );
}

fn symlinked_returns_folder(s: &Scratch) {
    write(
        &s.root.join("elsewhere/returns/austria.toml"),
        "reporter = \"Austria\"\n\n[figures]\nofficers = 12\n",
    );
    symlink(Path::new("../elsewhere/returns"), &s.op().join("returns"));
}

fn symlinked_template_outside(s: &Scratch) {
    write(&s.root.join("secret.txt"), "TOP SECRET {{ op.name }}\n");
    symlink(
        Path::new("../../../secret.txt"),
        &s.op().join("templates/text/headline.j2"),
    );
}

/// A link that stays inside the operation folder is fine.
fn symlink_inside(s: &Scratch) {
    let shared = s.op().join("shared/serbia.toml");
    write(
        &shared,
        "reporter = \"Serbia\"\n\n[figures]\nofficers = 7\n",
    );
    std::fs::remove_file(s.op().join("returns/serbia.toml")).unwrap();
    symlink(
        Path::new("../shared/serbia.toml"),
        &s.op().join("returns/serbia.toml"),
    );
}

/// A FIFO would block a plain read forever; it is refused unread.
fn fifo_in_returns(s: &Scratch) {
    let path = s.op().join("returns/pipe.toml");
    let status = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(status.success());
}

fn fifo_template(s: &Scratch) {
    let path = s.op().join("templates/text/lead.j2");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(status.success());
}

macro_rules! hostile_tests {
    ($($test:ident => $name:literal $(, $prepare:ident)?;)*) => {
        $(
            #[test]
            fn $test() {
                #[allow(unused_variables)]
                let prepare: fn(&Scratch) = nothing;
                $(let prepare: fn(&Scratch) = $prepare;)?
                hostile($name, prepare);
            }
        )*

        #[test]
        fn every_hostile_fixture_has_a_test() {
            let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/hostile"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            let mut tested = vec![$($name),*];
            tested.sort();
            assert_eq!(names, tested);
        }
    };
}

hostile_tests! {
    // Bad input every analyst meets: typos, types, units, dates, duplicates
    figure_stated_twice => "figure-stated-twice";
    date_before_1900 => "date-before-1900";
    published_before_start => "published-before-start";
    markdown_blocks_in_text => "markdown-blocks-in-text";
    unprintable_name => "unprintable-name";
    comment_in_any_script => "comment-in-any-script";
    participant_twice_by_case => "participant-twice-by-case";
    participant_twice_by_normalisation => "participant-twice-by-normalisation";
    coordination_as_participant => "coordination-as-participant";
    invisible_in_reason => "invisible-in-reason";
    duplicate_metric_key => "duplicate-metric-key";
    duplicate_rule_id => "duplicate-rule-id";
    display_unit_other_dimension => "display-unit-other-dimension";
    figure_units_disagree => "figure-units-disagree";
    figure_qualifiers_disagree => "figure-qualifiers-disagree";
    float_beyond_six_decimals => "float-beyond-six-decimals";
    float_digits_kept => "float-digits-kept";
    bad_day_outside_period => "day-outside-period";
    bad_duplicate_correction_id => "duplicate-correction-id";
    bad_duplicate_return => "duplicate-return";
    bad_empty_folder => "empty-folder";
    bad_fractional_count => "fractional-count";
    bad_incompatible_unit => "incompatible-unit";
    bad_negative_count => "negative-count";
    bad_non_utf8 => "non-utf8";
    bad_not_a_date => "not-a-date";
    bad_toml_syntax => "toml-syntax";
    bad_unknown_field => "unknown-field";
    bad_unknown_metric => "unknown-metric";
    bad_unknown_part => "unknown-part";
    bad_unknown_qualifier => "unknown-qualifier";
    bad_unknown_reporter => "unknown-reporter";
    bad_unknown_unit => "unknown-unit";
    bad_wrong_type => "wrong-type";
    // TOML syntax
    syntax_unterminated_string => "syntax-unterminated-string";
    syntax_unclosed_table_header => "syntax-unclosed-table-header";
    syntax_empty_operation => "syntax-empty-operation";
    syntax_empty_return => "syntax-empty-return";
    duplicate_key => "duplicate-key";
    duplicate_table => "duplicate-table";
    // Wrong types and dates
    wrong_type_reporter => "wrong-type-reporter";
    wrong_type_start_string => "wrong-type-start-string";
    wrong_type_figures_scalar => "wrong-type-figures-scalar";
    wrong_type_figure_bool => "wrong-type-figure-bool";
    wrong_type_figure_array => "wrong-type-figure-array";
    wrong_type_figure_date => "wrong-type-figure-date";
    day_with_time => "day-with-time";
    impossible_date => "impossible-date";
    end_before_start => "end-before-start";
    ten_thousand_year_period => "ten-thousand-year-period";
    negative_countries => "negative-countries";
    // Numbers
    integer_beyond_i64 => "integer-beyond-i64";
    figure_text_beyond_u64 => "figure-text-beyond-u64";
    sum_overflows_u64 => "sum-overflows-u64";
    sum_overflows_u64_text => "sum-overflows-u64-text";
    parts_overflow_u64 => "parts-overflow-u64";
    nan => "nan";
    infinity => "infinity";
    negative_infinity_mass => "negative-infinity-mass";
    negative_float_mass => "negative-float-mass";
    negative_zero_float => "negative-zero-float";
    negative_part => "negative-part";
    negative_text => "negative-text";
    huge_float => "huge-float";
    too_many_decimals => "too-many-decimals";
    unit_conversion_overflow => "unit-conversion-overflow";
    unknown_unit_in_table => "unknown-unit-in-table";
    unknown_unit_in_catalogue => "unknown-unit-in-catalogue";
    qualifier_twice => "qualifier-twice";
    nan_tolerance => "nan-tolerance";
    nan_correction => "nan-correction";
    // Encodings and line ends
    bom_accepted => "bom-accepted";
    bom_error_line => "bom-error-line";
    crlf_accepted => "crlf-accepted";
    crlf_error_line => "crlf-error-line";
    lone_cr => "lone-cr";
    non_utf8_operation => "non-utf8-operation";
    utf16_return => "utf16-return";
    nul_byte_in_file => "nul-byte-in-file";
    // Names
    control_char_name => "control-char-name";
    rtl_override_name => "rtl-override-name";
    rtl_override_reporter => "rtl-override-reporter";
    empty_reporter => "empty-reporter";
    long_name => "long-name";
    formula_prefix_names => "formula-prefix-names";
    markup_names => "markup-names";
    unicode_metric_key => "unicode-metric-key";
    // Operation ids that would leave the output folder
    id_parent => "id-parent";
    id_absolute => "id-absolute";
    id_dot => "id-dot";
    id_empty => "id-empty";
    id_backslash => "id-backslash";
    // Templates
    template_include_parent => "template-include-parent";
    template_include_absolute => "template-include-absolute";
    template_syntax_error => "template-syntax-error";
    template_unknown_metric => "template-unknown-metric";
    template_recursion => "template-recursion";
    template_huge_range => "template-huge-range";
    template_huge_string => "template-huge-string";
    template_fuel_exhausted => "template-fuel-exhausted";
    template_text_too_long => "template-text-too-long";
    template_non_utf8 => "template-non-utf8";
    // Found by the `render` fuzz target: a tab in a printed value.
    whitespace_in_printed_text => "whitespace-in-printed-text";
    escaped_unprintable_name => "escaped-unprintable-name";
    escaped_control_in_footnote => "escaped-control-in-footnote";
    template_writes_unprintable => "template-writes-unprintable";
    parts_overflow_nested => "parts-overflow-nested";
    // Sizes and nesting (generated in the scratch folder)
    ten_mb_reporter_test => "ten-mb-reporter", ten_mb_reporter;
    ten_mb_figure_text_test => "ten-mb-figure-text", ten_mb_figure_text;
    ten_mb_description_test => "ten-mb-description", ten_mb_description;
    long_description_test => "long-description", long_description;
    more_metrics_than_columns_test => "more-metrics-than-columns", more_metrics_than_columns;
    description_longer_than_a_cell_test => "description-longer-than-a-cell", description_longer_than_a_cell;
    deep_nested_arrays_test => "deep-nested-arrays", deep_nested_arrays;
    deep_nested_inline_tables_test => "deep-nested-inline-tables", deep_nested_inline_tables;
    deep_dotted_key_test => "deep-dotted-key", deep_dotted_key;
    deep_metric_parts_test => "deep-metric-parts", deep_metric_parts;
    // Folder shapes
    operation_toml_is_folder => "operation-toml-is-folder";
    returns_is_file => "returns-is-file";
    symlink_outside_test => "symlink-outside", symlink_outside;
    symlink_inside_test => "symlink-inside", symlink_inside;
    symlinked_returns_folder_test => "symlinked-returns-folder", symlinked_returns_folder;
    symlinked_template_outside_test => "symlinked-template-outside", symlinked_template_outside;
    fifo_in_returns_test => "fifo-in-returns", fifo_in_returns;
    fifo_template_test => "fifo-template", fifo_template;
}

/// Names that are Markdown or HTML stay text in the press release: every
/// value printed into a .md template is backslash-escaped.
#[test]
fn markup_names_stay_text_in_the_press_release() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&repo().join("tests/hostile/markup-names"), &op);
    let out = run_in(tmp.path(), &["build", "op", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text =
        std::fs::read_to_string(tmp.path().join("out/hostile/rev-001/press-release.md")).unwrap();
    assert!(text.contains("\\<script\\>alert(1)\\</script\\>"), "{text}");
    assert!(text.contains("\\[x\\](javascript:alert(1))"), "{text}");
    assert!(!text.contains("<script>"), "{text}");
    assert!(!text.contains("[x](javascript"), "{text}");
}

/// Formula-like names are accepted and printed as written.
#[test]
fn formula_prefix_names_are_printed_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&repo().join("tests/hostile/formula-prefix-names"), &op);
    let out = run_in(tmp.path(), &["build", "op", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text =
        std::fs::read_to_string(tmp.path().join("out/hostile/rev-001/press-release.md")).unwrap();
    for name in [
        "=HYPERLINK(\"http://example.invalid\",\"x\")",
        "+1",
        "-2",
        "@SUM(A1)",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
}

/// Operator text cannot open Markdown blocks or tables in the release.
#[test]
fn markdown_blocks_in_text_stay_text() {
    let tmp = tempfile::tempdir().unwrap();
    let op = tmp.path().join("op");
    copy_dir(&repo().join("tests/hostile/markdown-blocks-in-text"), &op);
    let out = run_in(tmp.path(), &["build", "op", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text =
        std::fs::read_to_string(tmp.path().join("out/bad/rev-001/press-release.md")).unwrap();
    assert!(
        text.contains("\\# Hacked heading - a list item \\| a \\| b \\| 1. ordered"),
        "{text}"
    );
    for line in text.lines() {
        assert!(
            !line.starts_with("- a list") && !line.starts_with('|'),
            "{line}"
        );
        assert!(!line.starts_with("# Hacked"), "{line}");
    }
}
