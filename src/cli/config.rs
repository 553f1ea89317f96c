//! `despin.toml` and the dictionary options: what a [`Cleaner`] is built
//! from.
//!
//! The configuration file is found like `_typos.toml`: `despin.toml` in the
//! current folder or the nearest parent that has one (`--config FILE`
//! names it, `--no-config` ignores it). Command-line flags override it.
//!
//! ```toml
//! [dictionaries]
//! extra = ["ours.tsv"]           # relative to this file
//! disable = ["stated"]           # entries turned off, by spun form
//! packs = ["news", "science"]    # instead of news (+ science for papers)
//!
//! [decide]
//! threshold = 0.6
//! edit_quotes = true
//! ```

use super::args::CleanerArgs;
use anyhow::{bail, Context, Result};
use despin::decide::DEFAULT_THRESHOLD;
use despin::dict::match_key;
use despin::{packs, Cleaner, Decider, Dictionary, Options};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The configuration file's name.
pub const FILE_NAME: &str = "despin.toml";

/// `despin.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub dictionaries: DictConfig,
    #[serde(default)]
    pub decide: DecideConfig,
}

/// `[dictionaries]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DictConfig {
    /// More dictionary files, relative to the configuration file.
    #[serde(default)]
    pub extra: Vec<PathBuf>,
    /// Spun forms whose entries are turned off (case-insensitive).
    #[serde(default)]
    pub disable: Vec<String>,
    /// Built-in packs to load instead of the automatic choice.
    pub packs: Option<Vec<String>>,
}

/// `[decide]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideConfig {
    pub threshold: Option<f32>,
    pub edit_quotes: Option<bool>,
}

/// `despin.toml` in `dir` or its nearest parent that has one.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads and checks a configuration file.
pub fn read(path: &Path) -> Result<Config> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| name.clone())?;
    let config: Config = toml::from_str(&text).with_context(|| name.clone())?;
    if let Some(t) = config.decide.threshold {
        if !(0.0..=1.0).contains(&t) {
            bail!("{name}: [decide] threshold = {t}: must be between 0 and 1");
        }
    }
    for p in config.dictionaries.packs.iter().flatten() {
        if packs::pack(p).is_none() {
            bail!(
                "{name}: unknown pack `{p}`: expected {}",
                packs::NAMES.join(", ")
            );
        }
    }
    Ok(config)
}

/// The configuration the arguments ask for, with its path: `--config`,
/// else the one found from the current folder, unless `--no-config`.
pub fn load(args: &CleanerArgs) -> Result<Option<(PathBuf, Config)>> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(p) => p.clone(),
        None => {
            let cwd = std::env::current_dir().context("finding the current folder")?;
            match find(&cwd) {
                Some(p) => p,
                None => return Ok(None),
            }
        }
    };
    let config = read(&path)?;
    Ok(Some((path, config)))
}

/// Everything a cleaner is built from.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The entries for every document.
    pub dict: Dictionary,
    /// The science pack, for documents that look scientific (the automatic
    /// choice), if it applies.
    pub science: Option<Dictionary>,
    /// Options, flags over configuration.
    pub options: Options,
}

impl Setup {
    /// A cleaner with these dictionaries and `options`.
    pub fn cleaner(&self, options: Options) -> Cleaner {
        match &self.science {
            Some(science) => Cleaner::with_science(self.dict.clone(), science.clone(), options),
            None => Cleaner::new(self.dict.clone(), options),
        }
    }
}

/// Reads the configuration and the dictionaries the arguments ask for.
pub fn setup(args: &CleanerArgs) -> Result<Setup> {
    let config = load(args)?;
    let (base, config) = match config {
        Some((path, c)) => (path.parent().map(Path::to_path_buf), c),
        None => (None, Config::default()),
    };

    let packs: Option<Vec<String>> = args.packs.clone().or(config.dictionaries.packs.clone());
    let (mut dict, mut science) = if args.no_default_dicts {
        (Dictionary::default(), None)
    } else {
        match &packs {
            None => (
                packs::pack("news").expect("the news pack"),
                packs::pack("science"),
            ),
            Some(names) => {
                let mut dict = Dictionary::default();
                for name in names {
                    match packs::pack(name) {
                        Some(p) => dict.extend(p),
                        None => bail!(
                            "unknown pack `{name}`: expected {}",
                            packs::NAMES.join(", ")
                        ),
                    }
                }
                (dict, None)
            }
        }
    };
    let extra = config.dictionaries.extra.iter().map(|p| match &base {
        Some(dir) if p.is_relative() => dir.join(p),
        _ => p.clone(),
    });
    for path in extra.chain(args.dicts.iter().cloned()) {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).with_context(|| name.clone())?;
        dict.extend(Dictionary::parse(&name, &text)?);
    }
    let disabled: HashSet<String> = config
        .dictionaries
        .disable
        .iter()
        .map(|s| match_key(s).0)
        .collect();
    if !disabled.is_empty() {
        dict.entries.retain(|e| !disabled.contains(&e.key));
        if let Some(s) = &mut science {
            s.entries.retain(|e| !disabled.contains(&e.key));
        }
    }

    let threshold = args
        .threshold
        .or(config.decide.threshold)
        .unwrap_or(DEFAULT_THRESHOLD);
    let edit_quotes = if args.no_edit_quotes {
        false
    } else {
        args.edit_quotes || config.decide.edit_quotes.unwrap_or(false)
    };
    let options = Options {
        normalization: args.normalize,
        decider: Decider {
            threshold,
            edit_quotes,
            ..Decider::default()
        },
        use_lm: !args.no_lm,
        ..Options::default()
    };
    Ok(Setup {
        dict,
        science,
        options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_key() {
        let c: Config = toml::from_str(
            "[dictionaries]\nextra = [\"a.tsv\"]\ndisable = [\"stated\"]\npacks = [\"news\"]\n\
             [decide]\nthreshold = 0.6\nedit_quotes = true\n",
        )
        .unwrap();
        assert_eq!(c.dictionaries.extra, vec![PathBuf::from("a.tsv")]);
        assert_eq!(c.dictionaries.disable, vec!["stated"]);
        assert_eq!(c.dictionaries.packs, Some(vec!["news".to_string()]));
        assert_eq!(c.decide.threshold, Some(0.6));
        assert_eq!(c.decide.edit_quotes, Some(true));
        assert!(toml::from_str::<Config>("[decide]\nthreshhold = 1\n").is_err());
    }
}
