//! Where the AWS CLI keeps its caches (`~/.aws/sso/cache`, `~/.aws/cli/cache`), how it writes
//! them (a whole file replaced at once, readable by the owner only) and the times inside them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The home directory the AWS CLI and SDKs expand `~` to: `HOME`, else the platform's.
pub fn home_dir() -> PathBuf {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()))
        .unwrap_or_default()
}

/// `~/.aws/sso/cache`: SSO tokens and client registrations.
pub fn sso_cache_dir(home: &Path) -> PathBuf {
    home.join(".aws").join("sso").join("cache")
}

/// `~/.aws/cli/cache`: assumed-role (and SSO role) credentials.
pub fn cli_cache_dir(home: &Path) -> PathBuf {
    home.join(".aws").join("cli").join("cache")
}

/// Writes `text` to `path` the way botocore's `JSONFileCache` does: a temporary file in the
/// same folder created with mode 0600, flushed and fsynced, then renamed over the target, so
/// a reader never sees half a file and nobody else can read the secret inside. A folder we
/// create is private (0700); botocore leaves it at the umask default, which readers don't
/// care about.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    if !dir.is_dir() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.flush()?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `2026-11-29T18:53:02Z`: the AWS CLI's format for SSO token times (`%Y-%m-%dT%H:%M:%SZ`).
pub fn utc_z(t: SystemTime) -> String {
    let t = time::OffsetDateTime::from(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Reads the times found in these caches: RFC 3339 (`Z`, an offset, fractions), the `...UTC`
/// that botocore as a library writes (`strftime('%Y-%m-%dT%H:%M:%S%Z')`) and a bare time (taken as UTC, as dateutil does for these files).
pub fn parse_time(text: &str) -> Option<SystemTime> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    let normalized = if let Some(head) = text.strip_suffix("UTC") {
        format!("{}Z", head.trim_end())
    } else if text.len() == 19 && text.as_bytes().get(10) == Some(&b'T') {
        format!("{text}Z")
    } else {
        text.replace(' ', "T")
    };
    time::OffsetDateTime::parse(&normalized, &Rfc3339)
        .ok()
        .map(SystemTime::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn times_in_the_aws_cli_formats() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        assert_eq!(utc_z(t), "2026-11-18T11:06:40Z");
        for text in [
            "2026-11-18T11:06:40Z",
            "2026-11-18T11:06:40UTC",
            "2026-11-18T11:06:40+00:00",
            "2026-11-18T12:06:40+01:00",
            "2026-11-18T11:06:40",
        ] {
            assert_eq!(parse_time(text), Some(t), "{text}");
        }
        assert_eq!(
            parse_time("2026-11-18T11:06:40.500Z"),
            Some(t + Duration::from_millis(500))
        );
        assert_eq!(parse_time("next tuesday"), None);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_in_a_0700_folder_and_replace_whole() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("b").join("x.json");
        write_private(&path, "{\"v\": 1}").unwrap();
        write_private(&path, "{\"v\": 2}").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"v\": 2}");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
