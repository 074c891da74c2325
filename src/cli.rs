//! The command line: `afcheck [OPTIONS] [PATH]...`, `afcheck rules`,
//! `afcheck explain ID`, `afcheck completions SHELL`, `afcheck man`. Exit
//! codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or
//! configuration error.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::config::{self, ConfigSource, Overrides};
use crate::engine::{self, Input, Options};
use crate::lint::Resolved;
use crate::meta;
use crate::report::{self, Format, ReportOptions};

mod fixing;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Terminal,
    Compact,
    Json,
    Sarif,
    Github,
    /// JUnit XML (GitLab, Jenkins and Azure DevOps test reports).
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Terminal => Format::Terminal,
            FormatArg::Compact => Format::Compact,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
            FormatArg::Junit => Format::Junit,
            FormatArg::Gitlab => Format::Gitlab,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl From<FailOn> for config::FailOn {
    fn from(f: FailOn) -> config::FailOn {
        match f {
            FailOn::Error => config::FailOn::Error,
            FailOn::Warning => config::FailOn::Warning,
            FailOn::Note => config::FailOn::Note,
            FailOn::Never => config::FailOn::Never,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Parser)]
#[command(
    name = "afcheck",
    version = env!("AFCHECK_LONG_VERSION"),
    about = "Policy and security linter for Dockerfiles, Kubernetes manifests, Helm values and Airflow configuration",
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or configuration error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files and directories to check (`-` reads standard input).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format [default: terminal on a TTY, compact otherwise].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Write the main report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write a SARIF report to FILE.
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,

    /// Also write a report in another format: FORMAT=FILE (repeatable),
    /// for example `--report json=afcheck.json`.
    #[arg(long, value_name = "FORMAT=FILE")]
    pub report: Vec<String>,

    /// Configuration file [default: the nearest .afcheck.yaml upward].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Do not read any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Only run these rules (IDs or prefixes such as AFK, AFK0; comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Vec<String>,

    /// Do not run these rules (IDs or prefixes; comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,

    /// Change rules' severity: ID=LEVEL (ID or prefix, LEVEL error, warning
    /// or note; comma-separated or repeated), over the configuration file.
    #[arg(long, value_delimiter = ',', value_name = "ID=LEVEL")]
    pub severity: Vec<String>,

    /// Print the number of findings per rule instead of the findings
    /// (as JSON with `--format json`).
    #[arg(long)]
    pub statistics: bool,

    /// Exit 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    /// Target Kubernetes version (1.N) [default: 1.37].
    #[arg(long = "k8s-version", value_name = "1.N")]
    pub k8s_version: Option<String>,

    /// Pod Security Standards level [default: restricted].
    #[arg(long, value_name = "LEVEL")]
    pub pss: Option<String>,

    /// Target Airflow version [default: detected from apache/airflow images, else the newest].
    #[arg(long, value_name = "X.Y.Z")]
    pub airflow_version: Option<String>,

    /// Name (and kind) of the file read from standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Skip files larger than this (bytes, or 10MiB, 512KiB) [default: 10MiB].
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,

    /// Also read symbolic links whose target is outside the scanned
    /// directory (by default they are reported with AFY005 and skipped).
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in a baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Colours in the terminal report: auto (on a terminal, unless NO_COLOR
    /// is set), always or never.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorArg>,

    /// Disable colours (same as `--color never`).
    #[arg(long, conflicts_with = "color")]
    pub no_color: bool,

    /// Print findings only: no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Apply safe fixes and write the files, then report what remains
    /// (with `-`: the fixed text on standard output, the report on
    /// standard error).
    #[arg(long, conflicts_with = "write_baseline")]
    pub fix: bool,

    /// Do not fix (over `fix: true` in the configuration).
    #[arg(long, conflicts_with = "fix")]
    pub no_fix: bool,

    /// With --fix or --diff, also apply unsafe fixes (they can change
    /// behaviour: review them).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them; exit 1
    /// when there is something to fix, else 0.
    #[arg(long, conflicts_with = "write_baseline")]
    pub diff: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every rule with ID, name, severity, category and summary.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Print a rule's full documentation.
    Explain {
        /// Rule ID (AFK015) or name (run-as-non-root).
        rule: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    Man,
    /// Run the language server (LSP over standard input and output) for
    /// editors; see docs/editors.md.
    Server {
        /// Accepted for clients that pass it: standard I/O is the only
        /// transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
}

/// Names of the subcommands, for "did you mean" on a mistyped one.
const SUBCOMMANDS: &[&str] = &["rules", "explain", "completions", "man", "server", "help"];

/// Entry point; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            // Not eprintln!: it panics when standard error is full.
            let _ = writeln!(std::io::stderr(), "afcheck: error: {msg}");
            2
        }
    }
}

/// Writes to standard output; a write error is an error (exit 2), except a
/// reader that went away (`afcheck | head`), which is not worth a message.
/// A closed standard output (`>&-`) is an error too: Rust's standard
/// output would drop everything silently.
fn write_stdout(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), String> {
    if stdout_closed() {
        return Err("cannot write the report: standard output is closed".into());
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let r = f(&mut w).and_then(|()| w.flush());
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write the report to standard output: {e}")),
    }
}

/// True when standard output was closed when afcheck started. Rust's
/// runtime then reopens descriptor 1 on `/dev/null`, read-write, before
/// `main`, and every write "succeeds"; a shell's `>/dev/null` or a parent's
/// null output opens it write-only, so the two can be told apart.
#[cfg(unix)]
fn stdout_closed() -> bool {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    use std::os::unix::io::FromRawFd;
    // SAFETY: F_GETFL only queries the descriptor's flags.
    let flags = unsafe { libc::fcntl(1, libc::F_GETFL) };
    if flags == -1 {
        return true;
    }
    if flags & libc::O_ACCMODE != libc::O_RDWR {
        return false;
    }
    // SAFETY: descriptor 1 is open (F_GETFL succeeded); ManuallyDrop keeps
    // it open after the check.
    let out = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(1) });
    let (Ok(m), Ok(null)) = (out.metadata(), std::fs::metadata("/dev/null")) else {
        return false;
    };
    m.file_type().is_char_device() && m.rdev() == null.rdev()
}

#[cfg(not(unix))]
fn stdout_closed() -> bool {
    false
}

/// The files a run reads, to refuse writing a report over one of them.
fn refuse_overwriting_inputs(inputs: &[Input], outputs: &[&std::path::Path]) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ids: Vec<((u64, u64), &std::path::Path)> = outputs
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok().map(|m| ((m.dev(), m.ino()), *p)))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        for i in inputs {
            let Input::File { path, .. } = i else {
                continue;
            };
            let Ok(m) = std::fs::metadata(path) else {
                continue;
            };
            if let Some((_, out)) = ids.iter().find(|(id, _)| *id == (m.dev(), m.ino())) {
                return Err(format!(
                    "{} is one of the files being checked; refusing to overwrite it with a report",
                    out.display()
                ));
            }
        }
    }
    #[cfg(not(unix))]
    {
        let canon: Vec<PathBuf> = outputs
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        for i in inputs {
            let Input::File { path, .. } = i else {
                continue;
            };
            if let Ok(c) = std::fs::canonicalize(path)
                && canon.contains(&c)
            {
                return Err(format!(
                    "{} is one of the files being checked; refusing to overwrite it with a report",
                    c.display()
                ));
            }
        }
    }
    Ok(())
}

fn color_wanted(color: Option<ColorArg>, no_color: bool, tty: bool) -> bool {
    match color {
        Some(ColorArg::Always) => true,
        Some(ColorArg::Never) => false,
        _ if no_color => false,
        _ => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Width for the terminal report: the terminal's, else `COLUMNS`, else 100.
fn terminal_width(tty: bool) -> usize {
    if tty && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        return usize::from(w).clamp(40, 400);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .map(|w| w.clamp(40, 400))
        .unwrap_or(100)
}

/// `, did you mean `X`?` for the nearest rule ID, name or prefix.
fn rule_hint(input: &str) -> String {
    crate::lint::rule_hint(input)
}

fn open_output(path: &PathBuf) -> Result<Box<dyn Write>, String> {
    let f =
        std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Box::new(std::io::BufWriter::new(f)))
}

fn parse_format(s: &str) -> Result<Format, String> {
    FormatArg::from_str(s, true).map(Format::from).map_err(|_| {
        format!("unknown format `{s}` (terminal, compact, json, sarif, github, junit, gitlab)")
    })
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<i32, String> {
    match &cli.command {
        Some(Command::Rules { format }) => {
            let text = match format {
                ListFormat::Text => report::catalogue::rules_text(),
                ListFormat::Json => report::catalogue::rules_json(),
            };
            write_stdout(|w| w.write_all(text.as_bytes()))?;
            return Ok(0);
        }
        Some(Command::Explain { rule }) => {
            let m = meta::find(rule).ok_or_else(|| {
                format!(
                    "unknown rule `{rule}`{} (see `afcheck rules`)",
                    rule_hint(rule)
                )
            })?;
            write_stdout(|w| w.write_all(report::catalogue::explain(m).as_bytes()))?;
            return Ok(0);
        }
        Some(Command::Completions { shell }) => {
            write_stdout(|out| {
                let mut cmd = Cli::command();
                clap_complete::generate(*shell, &mut cmd, "afcheck", out);
                Ok(())
            })?;
            return Ok(0);
        }
        Some(Command::Man) => {
            write_stdout(|out| clap_mangen::Man::new(Cli::command()).render(out))?;
            return Ok(0);
        }
        Some(Command::Server { .. }) => return crate::server::run_stdio(),
        None => {}
    }

    // A mistyped subcommand reaches here as a path that does not exist.
    if let [p] = cli.paths.as_slice()
        && !p.exists()
        && let Some(name) = p.to_str()
        && let Some(sub) = config::nearest(name, SUBCOMMANDS)
    {
        return Err(format!(
            "`{name}` is neither a file nor a subcommand; did you mean `afcheck {sub}`?"
        ));
    }

    // Configuration: the library loads and merges it (as for the
    // language server), the flags on top of the file.
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let source = if cli.no_config {
        ConfigSource::None
    } else if let Some(p) = &cli.config {
        ConfigSource::File(p.clone())
    } else {
        ConfigSource::Discover(cwd)
    };
    let overrides = Overrides {
        select: cli.select.clone(),
        ignore: cli.ignore.clone(),
        severity: cli.severity.clone(),
        k8s_version: cli.k8s_version.clone(),
        pss: cli.pss.clone(),
        airflow_version: cli.airflow_version.clone(),
        max_file_size: cli.max_file_size.clone(),
        fail_on: cli.fail_on.map(config::FailOn::from),
        follow_symlinks: cli.follow_symlinks,
    };
    let Resolved {
        options: opts,
        fail_on,
    } = crate::lint::load_settings(&source, &overrides)?;

    // Inputs.
    let paths = if cli.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        cli.paths.clone()
    };
    let mut inputs = Vec::new();
    let mut disk = Vec::new();
    for p in &paths {
        if p.as_os_str() == "-" {
            let mut bytes = Vec::new();
            // At most one byte over the limit: the engine then reports the
            // input as too large without it all being held in memory.
            std::io::stdin()
                .take(opts.max_file_size.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            let name = cli
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "<stdin>".into());
            flush_disk(&mut disk, &mut inputs, &opts)?;
            inputs.push(Input::Text { name, bytes });
        } else {
            disk.push(p.clone());
        }
    }
    flush_disk(&mut disk, &mut inputs, &opts)?;

    // Outputs: none may overwrite a file being checked.
    let mut extra: Vec<(Format, PathBuf)> = Vec::new();
    if let Some(p) = &cli.sarif_file {
        extra.push((Format::Sarif, p.clone()));
    }
    for r in &cli.report {
        let (f, p) = r
            .split_once('=')
            .ok_or_else(|| format!("--report takes FORMAT=FILE, not `{r}`"))?;
        extra.push((parse_format(f)?, PathBuf::from(p)));
    }
    let outputs: Vec<&std::path::Path> = extra
        .iter()
        .map(|(_, p)| p.as_path())
        .chain(cli.output.as_deref())
        .chain(cli.write_baseline.as_deref())
        .collect();
    refuse_overwriting_inputs(&inputs, &outputs)?;

    // `fix` and `unsafe-fixes` from the configuration file.
    let fix_wanted = cli.diff || (!cli.no_fix && (cli.fix || opts.config.fix == Some(true)));
    let unsafe_fixes = cli.unsafe_fixes || opts.config.unsafe_fixes == Some(true);
    let mut fix_done: Option<report::fixes::FixReport> = None;
    let mut stdin_fixed: Option<Vec<u8>> = None;
    // `--diff`: the diff, its summary line and the exit code.
    let mut diff_out: Option<(String, String, i32)> = None;
    let mut run = if fix_wanted {
        let outcome = fixing::fix(&inputs, &paths, &opts, unsafe_fixes);
        for (path, why) in &outcome.refused {
            let _ = writeln!(
                std::io::stderr(),
                "afcheck: not fixed: {}: {why}",
                report::escape::path(path)
            );
        }
        if cli.diff {
            let n = outcome.applied();
            let summary = format!(
                "afcheck: {n} {} would be fixed in {} {}{}",
                if n == 1 { "finding" } else { "findings" },
                outcome.files.len(),
                if outcome.files.len() == 1 {
                    "file"
                } else {
                    "files"
                },
                match (
                    unsafe_fixes,
                    report::fixes::Fixable::of(&outcome.run).unsafe_only
                ) {
                    (false, m) if m > 0 => format!(" ({m} more with --unsafe-fixes)"),
                    _ => String::new(),
                }
            );
            let code = if outcome.files.is_empty() { 0 } else { 1 };
            diff_out = Some((fixing::unified_diff(&inputs, &outcome), summary, code));
        }
        // Standard input: the text, fixed or not (then byte for byte),
        // goes to standard output.
        if diff_out.is_none()
            && let Some(i) = inputs.iter().position(|i| matches!(i, Input::Text { .. }))
        {
            let text = match (outcome.files.iter().find(|f| f.input == i), &inputs[i]) {
                (Some(f), _) => f.fixed.clone().into_bytes(),
                (None, Input::Text { bytes, .. }) => bytes.clone(),
                (None, _) => Vec::new(),
            };
            stdin_fixed = Some(text);
        }
        let written = match diff_out {
            Some(_) => Vec::new(),
            None => fixing::write_files(&inputs, &outcome)?,
        };
        fix_done = Some(report::fixes::FixReport {
            fixed: outcome
                .files
                .iter()
                .filter(|f| {
                    written.contains(&f.input) || matches!(inputs[f.input], Input::Text { .. })
                })
                .map(|f| f.applied)
                .sum(),
            files: outcome.files.len(),
            unsafe_fixes,
        });
        // A file checked under two names was fixed under one: what remains
        // under the other is read again.
        let aliased = outcome
            .refused
            .iter()
            .any(|(_, why)| why.starts_with(fixing::SAME_FILE));
        if aliased && !written.is_empty() {
            engine::run(&inputs, &opts)
        } else {
            outcome.run
        }
    } else {
        engine::run(&inputs, &opts)
    };
    // The reporters read the run, not the inputs (their paths are a large
    // part of a big repository's memory).
    drop(inputs);
    if let Some(text) = &stdin_fixed {
        write_stdout(|w| w.write_all(text))?;
    }
    // A run that checked nothing says so; with paths named explicitly it is
    // an error (a wrong path or pattern in CI must not pass silently). A
    // file afcheck chose not to read (a link out of the root, a FIFO) was
    // not checked either: its warning is reported, and the run still exits
    // 2 when every file was skipped so. (A file that could not be read or
    // decoded was tried: its AFY005 error decides the exit code.)
    let nothing = run.files.iter().all(|f| f.skipped_by_policy());
    if nothing && (!cli.paths.is_empty() || !cli.quiet) {
        let places = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let _ = if run.files.is_empty() {
            writeln!(
                std::io::stderr(),
                "afcheck: no file checked: no Dockerfile, .dockerignore, Kubernetes or Helm YAML, or airflow.cfg found in {places}"
            )
        } else {
            writeln!(
                std::io::stderr(),
                "afcheck: no file checked in {places}: every file found was skipped (see AFY005)"
            )
        };
    }
    let nothing_code = if nothing && !cli.paths.is_empty() {
        Some(2)
    } else {
        None
    };
    if let Some((text, summary, code)) = diff_out {
        write_stdout(|w| w.write_all(text.as_bytes()))?;
        if !cli.quiet {
            let _ = writeln!(std::io::stderr(), "{summary}");
        }
        return Ok(nothing_code.unwrap_or(code));
    }

    if let Some(p) = &cli.write_baseline {
        crate::baseline::write(p, &run)
            .map_err(|e| format!("cannot write baseline {}: {e}", p.display()))?;
        if !cli.quiet {
            let _ = writeln!(
                std::io::stderr(),
                "afcheck: recorded {} finding(s) in {}",
                run.findings.len(),
                p.display()
            );
        }
        return Ok(nothing_code.unwrap_or(0));
    }
    if let Some(p) = &cli.baseline {
        let b = crate::baseline::load(p).map_err(|e| e.to_string())?;
        crate::baseline::filter(&mut run, &b);
    }
    // Bounded output: at most 100 findings per rule per file and 1000 per
    // file, with a summary finding per rule for the rest.
    report::limit(
        &mut run,
        report::MAX_PER_RULE_PER_FILE,
        report::MAX_PER_FILE,
    );

    // Reports.
    let tty = std::io::stdout().is_terminal();
    let format = cli
        .format
        .map(Format::from)
        .unwrap_or(if tty && cli.output.is_none() {
            Format::Terminal
        } else {
            Format::Compact
        });
    let ropts = ReportOptions {
        color: color_wanted(cli.color, cli.no_color, tty && cli.output.is_none()),
        quiet: cli.quiet,
        version: env!("CARGO_PKG_VERSION"),
        width: terminal_width(tty && cli.output.is_none()),
        fixed: fix_done,
        ..ReportOptions::default()
    };
    let write_main = |run: &engine::Run, w: &mut dyn Write| -> std::io::Result<()> {
        if cli.statistics {
            report::statistics::write(run, format == Format::Json, w)
        } else {
            report::write(run, format, &ropts, w)
        }
    };
    let plain = ReportOptions {
        color: false,
        ..ropts.clone()
    };
    for (f, p) in &extra {
        let mut w = open_output(p)?;
        report::write(&run, *f, &plain, &mut w)
            .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        w.flush()
            .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    match &cli.output {
        Some(p) => {
            let mut w = open_output(p)?;
            write_main(&run, &mut w).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
            w.flush()
                .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        }
        // `--fix -` writes the fixed text to standard output: the report
        // goes to standard error.
        None if stdin_fixed.is_some() => {
            let mut w = std::io::BufWriter::new(std::io::stderr().lock());
            write_main(&run, &mut w)
                .and_then(|()| w.flush())
                .map_err(|e| format!("cannot write the report to standard error: {e}"))?;
        }
        None => write_stdout(|w| write_main(&run, w))?,
    }
    // The other formats have no summary: what --fix did goes to standard
    // error.
    if let Some(done) = fix_done
        && !cli.quiet
        && (format != Format::Terminal || cli.statistics)
        && let Some(line) = report::fixes::summary(&run, Some(done))
    {
        let _ = writeln!(std::io::stderr(), "afcheck: {line}");
    }
    if let Some(code) = nothing_code {
        return Ok(code);
    }
    // A walked file is read again for the report; one that changed while
    // afcheck ran was shown without source lines.
    for f in run.files.iter().filter(|f| f.changed()) {
        eprintln!(
            "afcheck: warning: {} changed while afcheck ran: its findings are reported without source lines",
            report::escape::visible(&f.file.path, false)
        );
    }
    // The compact report is findings only: the assumed Airflow version (see
    // docs/airflow-sources.md) goes to standard error, once.
    if matches!(format, Format::Compact)
        && !cli.quiet
        && let Some(note) = &run.airflow_assumed
    {
        eprintln!("afcheck: note: {note}");
    }

    let failed = fail_on
        .threshold()
        .is_some_and(|t| run.findings.iter().any(|f| f.severity >= t));
    Ok(if failed { 1 } else { 0 })
}

fn flush_disk(
    disk: &mut Vec<PathBuf>,
    inputs: &mut Vec<Input>,
    opts: &Options,
) -> Result<(), String> {
    if disk.is_empty() {
        return Ok(());
    }
    let found = engine::discover(disk, opts).map_err(|e| e.to_string())?;
    inputs.extend(found);
    disk.clear();
    Ok(())
}
