//! Registry modules (`br:`, `br/<alias>:`) read from the local cache where `bicep restore` (or a
//! build) puts them: `<cache>/br/<registry>/<repository>/<tag>$/main.json`, where `<cache>` is
//! `~/.bicep` or the `cacheRootDirectory` of the nearest `bicepconfig.json`, the registry is the
//! lower-case host with `:` written `$`, and the repository has `/` written `$` (Bicep pull
//! request 4486). Aliases come from `moduleAliases.br` of `bicepconfig.json`; `public` is the
//! public registry (`mcr.microsoft.com`, path `bicep`).

use std::path::{Path, PathBuf};

use crate::load::json::{self, Json};

/// The cached `main.json` of a registry reference, or why there is none.
pub fn cached_template(reference: &str, from_dir: &Path) -> Result<PathBuf, String> {
    let config = nearest_config(from_dir);
    let (registry, repository, tag) = resolve(reference, config.as_ref())?;
    let root = config
        .as_ref()
        .and_then(|(dir, c)| {
            c.get("cacheRootDirectory")
                .and_then(Json::as_str)
                .map(|p| expand_home(p, dir))
        })
        .or_else(|| home().map(|h| h.join(".bicep")))
        .ok_or("no home folder to find the module cache in")?;
    let path = root
        .join("br")
        .join(registry.to_ascii_lowercase().replace(':', "$"))
        .join(repository.to_ascii_lowercase().replace('/', "$"))
        .join(format!("{tag}$"))
        .join("main.json");
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "is not in the local module cache ({}; `bicep restore` puts it there)",
            path.display()
        ))
    }
}

/// `(registry, repository, tag)` of a `br:` or `br/<alias>:` reference.
fn resolve(
    reference: &str,
    config: Option<&(PathBuf, Json)>,
) -> Result<(String, String, String), String> {
    let (registry, repository_tag) = if let Some(rest) = reference.strip_prefix("br:") {
        rest.split_once('/')
            .map(|(r, p)| (r.to_string(), p.to_string()))
            .ok_or("has no repository")?
    } else if let Some(rest) = reference.strip_prefix("br/") {
        let (alias, path) = rest.split_once(':').ok_or("has no module path")?;
        let (registry, module_path) = alias_target(alias, config)?;
        let repository = match module_path {
            Some(prefix) => format!("{}/{path}", prefix.trim_end_matches('/')),
            None => path.to_string(),
        };
        (registry, repository)
    } else {
        return Err("is a template spec: template specs are not read".into());
    };
    if repository_tag.contains('@') {
        return Err("names a digest: only tagged modules are looked up in the cache".into());
    }
    let (repository, tag) = repository_tag.rsplit_once(':').ok_or("has no tag")?;
    Ok((registry, repository.to_string(), tag.to_string()))
}

/// The registry and module path of a `br/<alias>:` alias.
fn alias_target(
    alias: &str,
    config: Option<&(PathBuf, Json)>,
) -> Result<(String, Option<String>), String> {
    let configured = config.and_then(|(_, c)| {
        let entry = c.get("moduleAliases")?.get("br")?.get(alias)?;
        Some((
            entry.get("registry")?.as_str()?.to_string(),
            entry
                .get("modulePath")
                .and_then(Json::as_str)
                .map(str::to_string),
        ))
    });
    match configured {
        Some(target) => Ok(target),
        None if alias == "public" => Ok(("mcr.microsoft.com".into(), Some("bicep".into()))),
        None => Err(format!(
            "uses the alias `{alias}`, which no bicepconfig.json defines"
        )),
    }
}

/// The nearest `bicepconfig.json` at or above `dir`, parsed, with its folder.
fn nearest_config(dir: &Path) -> Option<(PathBuf, Json)> {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let dir = crate::load::join_lexically(Path::new(""), &dir);
    for folder in dir.ancestors() {
        let path = folder.join("bicepconfig.json");
        if path.is_file() {
            let text = crate::load::read_text(&path).ok()?;
            return json::parse(&text).ok().map(|j| (folder.to_path_buf(), j));
        }
    }
    None
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

/// A configured path: `~/` is the home folder; a relative path is relative to the
/// configuration's folder.
fn expand_home(path: &str, config_dir: &Path) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => home()
            .map(|h| h.join(rest))
            .unwrap_or_else(|| PathBuf::from(path)),
        None => config_dir.join(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_to_cache_folders() {
        let public = resolve("br/public:avm/res/network/private-endpoint:0.12.0", None).unwrap();
        assert_eq!(
            public,
            (
                "mcr.microsoft.com".to_string(),
                "bicep/avm/res/network/private-endpoint".to_string(),
                "0.12.0".to_string()
            )
        );
        let direct = resolve("br:contoso.azurecr.io/modules/dns:v1", None).unwrap();
        assert_eq!(direct.1, "modules/dns");
        assert!(resolve("br/team:dns:v1", None)
            .unwrap_err()
            .contains("alias `team`"));
        let config = json::parse(
            r#"{"moduleAliases": {"br": {"team": {"registry": "contoso.azurecr.io", "modulePath": "infra"}}}}"#,
        )
        .unwrap();
        let team = resolve("br/team:dns:v1", Some(&(PathBuf::new(), config))).unwrap();
        assert_eq!(
            team,
            ("contoso.azurecr.io".into(), "infra/dns".into(), "v1".into())
        );
        assert!(resolve("br:x.azurecr.io/a@sha256:00", None).is_err());
        assert!(resolve("ts:sub/rg/spec:1", None).is_err());
    }

    #[test]
    fn the_cache_is_found_under_the_configured_root() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp
            .path()
            .join("cache/br/mcr.microsoft.com/bicep$avm$res$x/1.0.0$");
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join("main.json"), "{}").unwrap();
        std::fs::write(
            tmp.path().join("bicepconfig.json"),
            r#"{ "cacheRootDirectory": "cache" }"#,
        )
        .unwrap();
        let sub = tmp.path().join("infra");
        std::fs::create_dir_all(&sub).unwrap();
        let found = cached_template("br/public:avm/res/x:1.0.0", &sub).unwrap();
        assert!(
            found.ends_with("bicep$avm$res$x/1.0.0$/main.json"),
            "{found:?}"
        );
        let missing = cached_template("br/public:avm/res/x:2.0.0", &sub).unwrap_err();
        assert!(
            missing.contains("not in the local module cache"),
            "{missing}"
        );
    }
}
