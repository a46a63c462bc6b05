"""Build the site and put it in place of site/ only if the build succeeds; print its hash.

    python scripts/publish.py               build, check links, replace site/, print the hash
    python scripts/publish.py --hash DIR    print the hash of an already built folder
    python scripts/publish.py --manifest DIR    the same, after each file's own hash
    python scripts/publish.py --pdf         the same as the first, with the PDF handout

With --pdf the site is built with KL_HANDOUT set to the handout's file name (so the lecture
and the gallery link to it), then its lecture page is printed by Chromium into that file,
e.g. lecture-34.pdf (scripts/handout.py), before the link check: the published site has
the handout exactly when its pages link to it. Without Chromium, Playwright or pypdf it
says what to install and builds nothing.

The build (`mkdocs build --strict`) goes into a fresh folder next to site/; then every
internal link of the new site is checked (scripts/linkcheck.py). Only if both pass is
the new folder swapped with site/: in one atomic step where the system offers it
(Linux's renameat2 with RENAME_EXCHANGE), else by two renames (old aside, new in). A
failed build or link check leaves site/ exactly as it was, still servable. The new
site/ gets the modes a plain `mkdocs build` gives under the caller's umask (the staging
folder starts private), so a web server running as another user can read it. A publish
stopped by a signal removes its staging folders; one killed outright (SIGKILL) leaves
them to the next publish, which removes those of any publish no longer running.

The site hash is the SHA-256 of the tree's manifest: one line "<sha256 of file>  <path>"
per file, sorted by relative path, which is what `sha256sum` prints. So, by hand:
    cd site && find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum
With SOURCE_DATE_EPOCH set, the same sources give the same hash on any day.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from handout import HandoutError, handout_name, missing_tools, print_handout
from linkcheck import check_site

ROOT = Path(__file__).resolve().parent.parent
QUIET_BANNERS = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def site_manifest(folder: Path) -> str:
    """One line "<sha256>  <relative path>" per file under ``folder``, sorted by path."""
    files = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {rel}\n" for rel, p in files)


def site_hash(folder: Path) -> str:
    """SHA-256 (hex) of `site_manifest`: equal for two folders iff same paths and bytes."""
    return hashlib.sha256(site_manifest(folder).encode()).hexdigest()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _staging(target: Path, role: str) -> Path:
    """A new private folder beside ``target``, named after this process so that a later
    publish can tell it from the staging folders of a publish still running."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-{role}-{os.getpid()}-", dir=target.parent))


def remove_stale_staging(target: Path) -> None:
    """Remove the staging folders beside ``target`` left by a publish that was killed."""
    for folder in target.parent.glob(f".{target.name}-*-*-*"):
        _, role, pid, _ = folder.name.removeprefix(f".{target.name}").split("-", 3)
        if role in ("new", "old") and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        pass
    return True


def _public_modes(folder: Path) -> None:
    """Give ``folder`` the mode a new folder gets under the umask (mkdtemp makes it 0700)."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, so that ``target`` is never missing if it existed."""
    if not target.exists():
        new.rename(target)
        return
    old = _staging(target, "old")
    if _exchange(new, target):
        new.rename(old / target.name)
    else:
        target.rename(old / target.name)
        try:
            new.rename(target)
        except OSError:
            (old / target.name).rename(target)
            raise
    shutil.rmtree(old)


def _handout_plan(config_file: Path) -> tuple[str, str]:
    """The handout's file name (after extra.lecture.number) and the site's URL, from the
    MkDocs config. Raises HandoutError if the config gives no lecture number."""
    from kl.site.config import read_site_config

    config = read_site_config(config_file)
    number = (config.extra.get("lecture") or {}).get("number")
    if number is None:
        raise HandoutError(f"{config_file.name}: extra.lecture.number is missing")
    return handout_name(number), config.site_url


def publish(config_file: Path, site_dir: Path, *, pdf: bool = False) -> int:
    """Build into a temporary folder beside ``site_dir`` (with the PDF handout if ``pdf``);
    replace ``site_dir`` on success.

    Returns the exit code: 0 when published, else the build's code, or 1 for broken links
    or a handout that could not be printed.
    """
    env = {**QUIET_BANNERS, **os.environ}
    handout, site_url = "", ""
    if pdf:
        try:
            problem = missing_tools()
            if problem:
                raise HandoutError(problem)
            handout, site_url = _handout_plan(config_file)
        except HandoutError as exc:
            print(f"publish: {exc}; {site_dir} is unchanged.", file=sys.stderr)
            return 1
        env["KL_HANDOUT"] = handout
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(site_dir)
    staging = _staging(site_dir, "new")
    mkdocs_build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    try:
        build = subprocess.run([*mkdocs_build, "-d", str(staging)], env=env, check=False)
        if build.returncode != 0:
            print(f"publish: the build failed; {site_dir} is unchanged.", file=sys.stderr)
            return build.returncode
        if handout:
            try:
                print_handout(staging, staging / handout, site_url=site_url)
            except HandoutError as exc:
                print(f"publish: {exc}; {site_dir} is unchanged.", file=sys.stderr)
                return 1
        broken = check_site(staging)
        if broken:
            print("\n".join(str(link) for link in broken), file=sys.stderr)
            print(
                f"publish: {len(broken)} broken link(s); {site_dir} is unchanged.", file=sys.stderr
            )
            return 1
        digest = site_hash(staging)
        _public_modes(staging)
        replace_folder(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"published {site_dir}")
    print(f"site hash (sha256): {digest}")
    return 0


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("-d", "--site-dir", type=Path, help="default: site/ beside mkdocs.yml")
    parser.add_argument(
        "--pdf", action="store_true", help="also print the lecture to a PDF handout (Chromium)"
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--hash", type=Path, metavar="DIR", help="print DIR's site hash only")
    what.add_argument(
        "--manifest", type=Path, metavar="DIR", help="print DIR's manifest, then its hash"
    )
    args = parser.parse_args(argv)
    folder = args.hash or args.manifest
    if folder is not None:
        if not folder.is_dir():
            parser.error(f"{folder} is not a folder")
        if args.manifest:
            print(site_manifest(folder), end="")
        print(site_hash(folder))
        return 0
    config_file = args.config_file.resolve()
    # A signal to stop (kill, a closed terminal) unwinds like Ctrl-C: the build is stopped
    # and the staging folders are removed.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _stop)
    site_dir = (args.site_dir or config_file.parent / "site").resolve()
    return publish(config_file, site_dir, pdf=args.pdf)


if __name__ == "__main__":
    sys.exit(main())
