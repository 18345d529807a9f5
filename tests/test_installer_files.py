"""The installer files, checked without a full build (issue 8).

* installer/bundle_config.py: which resources, Qt plugins and translations are bundled;
* installer/perfgoals.spec: executed with PyInstaller's build steps replaced by recorders;
* installer/perfgoals.nsi: compiled with makensis against a stub payload, and (when Wine
  is installed) installed, upgraded and uninstalled silently in a throw-away Wine prefix.

The real frozen build and its --self-test run in installer/build_linux.sh (CI: --quick).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import app
from app import resources

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
NSI = INSTALLER / "perfgoals.nsi"


def _load_bundle_config():
    spec = importlib.util.spec_from_file_location("bundle_config", INSTALLER / "bundle_config.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cfg = _load_bundle_config()


# ---------------------------------------------------------------- resources


def test_every_resource_folder_and_file_is_bundled():
    datas = cfg.resource_datas()
    bundled = {(Path(dest) / Path(src).name).as_posix() for src, dest in datas}
    on_disk = {
        ("resources" / p.relative_to(ROOT / "resources")).as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert bundled == on_disk
    folders = {p.name for p in (ROOT / "resources").iterdir() if p.is_dir()}
    assert set(cfg.REQUIRED_RESOURCE_DIRS) <= folders
    for folder in folders:
        assert any(dest.startswith(f"resources/{folder}") for _src, dest in datas), folder


def test_missing_required_resource_folder_fails_the_build(tmp_path):
    for name in cfg.REQUIRED_RESOURCE_DIRS[1:]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "x").write_text("x")
    with pytest.raises(FileNotFoundError, match=cfg.REQUIRED_RESOURCE_DIRS[0]):
        cfg.resource_datas(tmp_path)


def test_resource_loader_finds_everything_in_the_frozen_layout(tmp_path, monkeypatch):
    """Lay the datas out as PyInstaller does under sys._MEIPASS and load through app.resources."""
    for src, dest in cfg.resource_datas():
        target = tmp_path / dest
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, target)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "resources"
    assert resources.font_path().is_file()
    assert resources.sample_document().is_file()
    assert resources.icon_path("png").is_file() and resources.icon_path("ico").is_file()
    from app.services.storage.store import migrations

    assert [p.parent for _n, p in migrations()] == [tmp_path / "resources" / "migrations"] * len(migrations())


def test_icon_has_the_sizes_windows_uses():
    ico = (ROOT / "resources" / "icons" / "perfgoals.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"  # ICO header
    count = int.from_bytes(ico[4:6], "little")
    widths = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= widths


# ---------------------------------------------------------------- Qt trimming


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/plugins/platforms/qdirect2d.dll", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland-egl.so", False),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
    ("PySide6/plugins/printsupport/windowsprintersupport.dll", True),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
    ("PySide6/plugins/imageformats/qico.dll", True),
    ("PySide6/plugins/imageformats/qjpeg.dll", True),
    ("PySide6/plugins/imageformats/qsvg.dll", False),
    ("PySide6/plugins/imageformats/qpdf.dll", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/plugins/iconengines/qsvgicon.dll", False),
    ("PySide6/plugins/tls/qopensslbackend.dll", False),
    ("PySide6/translations/qtbase_zh_CN.qm", True),
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
    ("PySide6/translations/qtbase_de.qm", False),
    ("PySide6/translations/qt_help_zh_CN.qm", False),
    ("PySide6\\translations\\designer_zh_CN.qm", False),
    ("PySide6/Qt6Widgets.dll", True),
    ("PySide6/Qt6Svg.dll", False),
    ("libQt6Svg.so.6", False),
    ("PySide6/Qt/qml/QtQuick/qmldir", False),
    ("resources/fonts/wqy-microhei.ttc", True),
    ("libstdc++.so.6", False),  # Linux: left to the system (glibc floor)
    ("libcups.so.2", False),
    ("libexpat.so.1", False),
    ("libgcc_s.so.1", False),
    ("libgnutls.so.30", False),  # only libcups needs it
    ("libkrb5.so.3", False),
    ("libkrb5-f18b4d11.so.3.3", True),  # psycopg's own libpq dependencies stay
    ("psycopg_binary.libs/libpq-e9b5c9ac.so.5.18", True),
    ("libfontconfig.so.1", True),
    ("docx/templates/default.docx", True),
])
def test_qt_files_kept_or_dropped(dest, kept):
    assert cfg.keep_entry(dest) is kept


def test_qt_libraries_of_used_modules_are_kept():
    # Printing renders with PDFium: QtPdf, and Mesa's software OpenGL, are never shipped.
    assert not cfg.keep_entry("PySide6/Qt6Pdf.dll", imported={"PySide6.QtWidgets"})
    assert not cfg.keep_entry("PySide6/opengl32sw.dll")
    assert "PySide6.QtPdf" in cfg.EXCLUDED_MODULES
    # The PostgreSQL driver ships (a bureau's server database); other drivers do not.
    assert not {"psycopg", "psycopg_binary"} & set(cfg.EXCLUDED_MODULES)
    assert {"psycopg", "psycopg_binary"} <= set(cfg.DRIVER_MODULES) and "tzdata" in cfg.WINDOWS_DRIVER_MODULES
    assert {"psycopg2", "psycopg_c", "pymysql"} <= set(cfg.EXCLUDED_MODULES)
    assert "ssl" not in cfg.EXCLUDED_MODULES  # psycopg's binary libpq binding imports it
    assert cfg.keep_entry("pypdfium2_raw/pdfium.dll")
    assert not cfg.keep_entry("PySide6/Qt6Svg.dll", imported={"PySide6.QtWidgets"})
    assert cfg.keep_entry("PySide6/Qt6Svg.dll", imported={"PySide6.QtSvg"})


def test_imported_modules_reads_extension_names():
    binaries = [("PySide6/QtPdf.abi3.so", "/x", "EXTENSION"), ("PySide6/QtCore.pyd", "/y", "EXTENSION"),
                ("libfoo.so", "/z", "BINARY")]
    names = cfg.imported_modules([("app.cli", "/a", "PYMODULE")], binaries)
    assert {"app.cli", "PySide6.QtPdf", "PySide6.QtCore"} <= names
    assert "libfoo" not in names


def test_needed_plugin_folders_exist_in_the_installed_pyside6():
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    folders = ["platforms", "imageformats"]
    if sys.platform.startswith("linux"):  # Windows: print support is inside Qt6PrintSupport.dll
        folders += ["printsupport", "platforminputcontexts"]
    for folder in folders:
        files = list((plugins / folder).iterdir())
        assert any(cfg.keep_plugin(folder, f.name) for f in files), folder
    translations = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    for name in cfg.QT_TRANSLATIONS_KEPT:
        assert (translations / name).is_file()


# ---------------------------------------------------------------- version resource


def _eval_version_info(text: str) -> dict:
    """Evaluate the VSVersionInfo text with recording constructors (pefile is Windows-only)."""
    def rec(kind):
        return lambda *args, **kwargs: {"kind": kind, "args": args, **kwargs}

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")
    return eval(text, {n: rec(n) for n in names})  # noqa: S307 - our own generated text


def test_version_resource_comes_from_app_version():
    assert cfg.app_version() == app.__version__
    assert cfg.version_tuple("1.2.3") == (1, 2, 3, 0)
    assert cfg.version_tuple("2.0rc1") == (2, 0, 0, 0)
    info = _eval_version_info(cfg.version_info_text(app.__version__))
    assert info["ffi"]["filevers"] == cfg.version_tuple(app.__version__)
    table = info["kids"][0]["args"][0][0]
    strings = {s["args"][0]: s["args"][1] for s in table["args"][1]}
    assert strings["ProductVersion"] == app.__version__
    assert strings["FileDescription"] == "绩效目标编报"
    assert strings["OriginalFilename"] == "PerfGoals.exe"


# ---------------------------------------------------------------- the spec


def test_spec_runs_and_asks_for_a_trimmed_onedir_bundle(tmp_path):
    """Execute perfgoals.spec with Analysis/PYZ/EXE/COLLECT replaced by recorders."""
    pytest.importorskip("PyInstaller")
    calls: dict[str, list] = {"EXE": [], "COLLECT": []}

    def analysis(scripts, **kwargs):
        calls["Analysis"] = (scripts, kwargs)
        binaries = [("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x", "BINARY"),
                    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x", "BINARY")]
        datas = [*((f"{d}/{Path(s).name}", s, "DATA") for s, d in kwargs["datas"]),
                 ("PySide6/Qt/translations/qtbase_fr.qm", "/x", "DATA")]
        return SimpleNamespace(pure=[], binaries=binaries, datas=datas, scripts=["entry"])

    stubs = {
        "Analysis": analysis,
        "PYZ": lambda pure: ("PYZ", pure),
        "EXE": lambda *args, **kwargs: calls["EXE"].append(kwargs) or kwargs["name"],
        "COLLECT": lambda *args, **kwargs: calls["COLLECT"].append((args, kwargs)),
        "SPECPATH": str(INSTALLER),
        "workpath": str(tmp_path / "work"),
        "__name__": "__main__",
    }
    saved_path = list(sys.path)
    try:
        exec(compile(NSI.with_suffix(".spec").read_text(encoding="utf-8"), "perfgoals.spec", "exec"), stubs)  # noqa: S102
    finally:
        sys.path[:] = saved_path

    scripts, akw = calls["Analysis"]
    assert scripts == [str(INSTALLER / "entry.py")]
    assert akw["datas"] == cfg.resource_datas()
    assert {"app.services.formats.docx.writer", "app.services.paper.writer", "app.selftest",
            "app.ui.selftest_qt"} <= set(akw["hiddenimports"])
    assert "PySide6.QtWebEngineCore" in akw["excludes"]

    gui, cli = calls["EXE"]
    assert (gui["name"], gui["console"]) == ("PerfGoals", False)
    assert (cli["name"], cli["console"]) == ("perfgoals-cli", True)
    for exe in (gui, cli):
        assert exe["upx"] is False and exe["exclude_binaries"] is True  # onedir, no UPX
        assert Path(exe["icon"]).is_file()
        assert Path(exe["version"]).read_text(encoding="utf-8") == cfg.version_info_text(app.__version__)
    (args, ckw), = calls["COLLECT"]
    assert ckw["name"] == "PerfGoals" and ckw["upx"] is False
    binaries, datas = args[2], args[3]
    assert [b[0] for b in binaries] == ["PySide6/Qt/plugins/platforms/libqxcb.so"]
    assert not any("qtbase_fr" in d[0] for d in datas)


def test_entry_script_runs_the_cli():
    source = (INSTALLER / "entry.py").read_text(encoding="utf-8")
    assert "from app.cli import main" in source and "sys.exit(main())" in source


# ---------------------------------------------------------------- the NSIS script


def _nsi_defines() -> dict[str, str]:
    text = NSI.read_text(encoding="utf-8")
    found = re.findall(r'^!define (\w+) (?:"([^"]*)"|(\S+))', text, re.MULTILINE)
    return {name: quoted or bare for name, quoted, bare in found}


def test_nsis_names_agree_with_the_bundle_and_the_data_folder():
    d = _nsi_defines()
    assert d["GUI_EXE"] == f"{cfg.GUI_EXE_NAME}.exe"
    assert d["CLI_EXE"] == f"{cfg.CLI_EXE_NAME}.exe"
    assert d["APP_TITLE"] == app.APP_TITLE_ZH
    # storage.default_db_path(): user_data_dir(APP_NAME, roaming=False) = %LOCALAPPDATA%\PerfGoals
    assert d["DATA_DIR_NAME"] == app.APP_NAME
    assert d["MIN_WIN_BUILD"] == "17763"
    text = NSI.read_text(encoding="utf-8")
    assert "Unicode true" in text and "Target amd64-unicode" in text and "SetRegView 64" in text
    assert 'MUI_LANGUAGE "SimpChinese"' in text
    assert "RequestExecutionLevel user" in text
    assert not re.search(r'RMDir /r "\$INSTDIR"', text)  # the uninstaller never wipes the folder blindly


def _makensis() -> str:
    exe = shutil.which("makensis")
    if not exe:
        pytest.skip("makensis not installed (Debian: apt-get install nsis)")
    return exe


def _stub_payload(folder: Path) -> Path:
    (folder / "_internal").mkdir(parents=True)
    (folder / "_internal" / "stub.dll").write_bytes(b"stub")
    (folder / "PerfGoals.exe").write_bytes(b"stub")
    (folder / "perfgoals-cli.exe").write_bytes(b"stub")
    return folder


def _compile(payload: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_makensis(), "-V2", "-WX", "-INPUTCHARSET", "UTF8", f"-DVERSION={app.__version__}",
         f"-DDISTDIR={payload}", f"-DOUTFILE={out}", *extra, str(NSI)],
        capture_output=True, text=True, check=False, timeout=300,
    )


def test_nsis_script_compiles_to_a_windows_installer(tmp_path):
    out = tmp_path / "PerfGoals-test-installer.exe"
    proc = _compile(_stub_payload(tmp_path / "payload"), out)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # -WX: warnings fail too
    head = out.read_bytes()[:2]
    assert head == b"MZ"


def _pe_machine(exe: Path) -> int:
    data = exe.read_bytes()
    pe = int.from_bytes(data[0x3C:0x40], "little")
    assert data[pe:pe + 4] == b"PE\0\0"
    return int.from_bytes(data[pe + 4:pe + 6], "little")


def test_nsis_script_compiles_as_32_bit_where_makensis_has_no_amd64_stubs(tmp_path):
    """The official Windows NSIS build ships x86 stubs only (-DFORCE_X86 takes that path)."""
    out64, out32 = tmp_path / "a.exe", tmp_path / "b.exe"
    payload = _stub_payload(tmp_path / "payload")
    assert _compile(payload, out32, "-DFORCE_X86").returncode == 0
    assert _pe_machine(out32) == 0x14C  # i386
    assert _compile(payload, out64).returncode == 0
    assert _pe_machine(out64) in (0x8664, 0x14C)  # amd64 where the stubs exist


def test_nsis_refuses_a_payload_without_the_windows_exe(tmp_path):
    payload = tmp_path / "linux-bundle"
    payload.mkdir()
    (payload / "PerfGoals").write_bytes(b"ELF")
    proc = _compile(payload, tmp_path / "PerfGoals-test-installer.exe")
    assert proc.returncode != 0
    assert "PerfGoals.exe not found" in proc.stdout + proc.stderr


# ---------------------------------------------------------------- under Wine (optional)


@pytest.fixture(scope="module")
def wine(tmp_path_factory):
    if not shutil.which("wine") or not shutil.which("wineserver"):
        pytest.skip("Wine not installed: the silent install/upgrade/uninstall run is skipped")
    prefix = tmp_path_factory.mktemp("wineprefix")
    env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all",
           "WINEDLLOVERRIDES": "winemenubuilder.exe=d", "DISPLAY": ""}

    def run(*args: str) -> int:
        proc = subprocess.run(["wine", *args], env=env, capture_output=True, timeout=300, check=False)
        subprocess.run(["wineserver", "-w"], env=env, timeout=300, check=False)
        return proc.returncode

    run("wineboot", "-i")
    run("winecfg", "-v", "win10")  # a fresh prefix claims Windows 7, which the installer refuses
    users = prefix / "drive_c" / "users"
    profile = next(p for p in users.iterdir() if p.name not in ("Public", "public"))
    for link in ("Desktop", "Documents"):  # keep Wine from writing shortcuts into $HOME
        if (profile / link).is_symlink():
            (profile / link).unlink()
            (profile / link).mkdir()
    return SimpleNamespace(run=run, profile=profile, prefix=prefix)


@pytest.mark.slow
def test_install_upgrade_uninstall_keep_the_data(wine, tmp_path):
    setup = tmp_path / "PerfGoals-test-installer.exe"
    proc = _compile(_stub_payload(tmp_path / "payload"), setup)
    assert proc.returncode == 0, proc.stdout
    local = wine.profile / "AppData" / "Local"
    program = local / "Programs" / "PerfGoals"
    data = local / "PerfGoals"

    assert wine.run(str(setup), "/S") == 0  # per user, no admin
    assert (program / "PerfGoals.exe").is_file() and (program / "uninstall.exe").is_file()
    assert (wine.profile / "Desktop" / "绩效目标编报.lnk").is_file()

    (data / "backups").mkdir(parents=True)
    (data / "perfgoals.db").write_bytes(b"the user's work")
    (data / "backups" / "perfgoals-import.db").write_bytes(b"backup")
    (program / "_internal" / "left-over-from-old-version.dll").write_bytes(b"old")
    settings = r"HKCU\Software\PerfGoals\PerfGoals"  # QSettings of organisation/app PerfGoals
    assert wine.run("reg", "add", settings, "/v", "printFont", "/d", "simsun", "/f") == 0

    assert wine.run(str(setup), "/S") == 0  # upgrade in place
    assert (program / "PerfGoals.exe").is_file()
    assert not (program / "_internal" / "left-over-from-old-version.dll").exists()
    assert (data / "perfgoals.db").read_bytes() == b"the user's work"

    assert wine.run(str(program / "uninstall.exe"), "/S") == 0
    assert not program.exists()
    assert not (wine.profile / "Desktop" / "绩效目标编报.lnk").exists()
    assert (data / "perfgoals.db").read_bytes() == b"the user's work"
    assert (data / "backups" / "perfgoals-import.db").is_file()
    assert wine.run("reg", "query", settings, "/v", "printFont") == 0  # kept with the data
    assert wine.run("reg", "query", r"HKCU\Software\PerfGoals", "/v", "InstallDir") != 0

    assert wine.run(str(setup), "/S") == 0
    assert wine.run(str(program / "uninstall.exe"), "/S", "/REMOVEDATA") == 0
    assert not program.exists() and not data.exists()
    assert wine.run("reg", "query", settings) != 0  # removing the data removes the settings too


@pytest.mark.slow
def test_all_users_install_is_found_again_by_the_upgrade(wine, tmp_path):
    setup = tmp_path / "PerfGoals-test-installer.exe"
    assert _compile(_stub_payload(tmp_path / "payload"), setup).returncode == 0
    program = wine.prefix / "drive_c" / "Program Files" / "PerfGoals"
    per_user = wine.profile / "AppData" / "Local" / "Programs" / "PerfGoals"

    assert wine.run(str(setup), "/S", "/ALLUSERS") == 0  # Wine runs as an administrator
    assert (program / "PerfGoals.exe").is_file()
    assert wine.run(str(setup), "/S") == 0  # no flag: the all-users install is upgraded
    assert (program / "PerfGoals.exe").is_file() and not per_user.exists()
    assert wine.run(str(program / "uninstall.exe"), "/S") == 0
    assert not program.exists()


@pytest.mark.slow
def test_silent_install_refuses_a_chinese_path(wine, tmp_path):
    setup = tmp_path / "PerfGoals-test-installer.exe"
    assert _compile(_stub_payload(tmp_path / "payload"), setup).returncode == 0
    assert wine.run(str(setup), "/S", "/D=C:\\测试\\PerfGoals") != 0
    assert not (wine.prefix / "drive_c" / "测试").exists()


# ---------------------------------------------------------------- the entry script's streams


def _load_entry():
    spec = importlib.util.spec_from_file_location("perfgoals_entry", INSTALLER / "entry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the __main__ block does not run
    return module


def _stream(encoding: str):
    import io

    return io.TextIOWrapper(io.BytesIO(), encoding=encoding)


def test_entry_gives_the_cli_streams_that_can_write_chinese(monkeypatch):
    entry = _load_entry()
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    monkeypatch.setattr(sys, "stdout", None)  # a windowed exe on Windows has no console
    monkeypatch.setattr(sys, "stderr", _stream("cp1252"))  # an English Windows / CI runner
    entry._usable_text_streams()
    sys.stdout.write("绩效目标")  # goes to devnull, must not raise
    assert sys.stderr.encoding == "utf-8"
    gbk = _stream("gbk")  # a Chinese Windows console keeps its own encoding
    monkeypatch.setattr(sys, "stderr", gbk)
    entry._usable_text_streams()
    assert sys.stderr.encoding == "gbk"
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8")  # the build scripts read the output as UTF-8
    entry._usable_text_streams()
    assert sys.stderr.encoding == "utf-8"
    sys.stdout.close()


# ---------------------------------------------------------------- the offline wheelhouse


def _load_wheelhouse():
    spec = importlib.util.spec_from_file_location("wheelhouse", INSTALLER / "wheelhouse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_wheelhouse_for_windows_adds_what_linux_markers_hide():
    wh = _load_wheelhouse()
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    linux = wh.requirements(("build",), windows=False)
    windows = wh.requirements(("build",), windows=True)
    assert set(project["dependencies"]) <= set(linux)
    assert any(r.startswith("pyinstaller") for r in linux)
    assert not set(wh.WINDOWS_ONLY) & set(linux)
    assert {"pefile", "pywin32-ctypes", "greenlet", "colorama", "tzdata"} <= set(windows)
    assert {"pip", "wheel"} <= set(windows) and any(r.startswith("setuptools") for r in windows)
    assert not any("PySide6_Pdf" in r for r in windows)  # printing uses PDFium now
    cmd = wh.download_command(Path("w"), windows, "win_amd64", "3.12")
    assert cmd[1:4] == ["-m", "pip", "download"] and "--only-binary=:all:" in cmd
    assert cmd[cmd.index("--platform") + 1] == "win_amd64" and "-e" not in cmd
    with pytest.raises(SystemExit, match="nosuch"):
        wh.requirements(("nosuch",))


def test_icu_stub_exports_what_qt6core_imports_from_icuuc():
    """The Wine build's icuuc.dll stand-in (PySide6 6.12's Qt6Core imports these 20 names)."""
    source = (INSTALLER / "icu_stub.c").read_text(encoding="utf-8")
    exported = set(re.findall(r"\b([uU][cC][nN][vV]_\w+)\b", source))
    assert len(exported) == 20 and {"ucnv_open", "ucnv_toUnicode", "UCNV_TO_U_CALLBACK_SUBSTITUTE"} <= exported


# ---------------------------------------------------------------- the Linux package files


def test_linux_menu_entry_names_the_program_in_chinese_and_starts_the_launcher():
    entry = (INSTALLER / "linux" / "perfgoals.desktop").read_text(encoding="utf-8")
    fields = dict(line.split("=", 1) for line in entry.splitlines() if "=" in line)
    assert fields["Name[zh_CN]"] == app.APP_TITLE_ZH
    assert fields["Exec"] == "/opt/perfgoals/perfgoals.sh" and fields["Icon"] == "perfgoals"
    assert fields["Type"] == "Application" and fields["Terminal"] == "false"


def test_linux_launcher_sends_fcitx_users_to_the_ibus_plugin(tmp_path):
    """The bundle has IBus's input context only; fcitx5 speaks the IBus protocol."""
    if not shutil.which("sh"):
        pytest.skip("no POSIX shell")
    folder = tmp_path / "perfgoals"
    folder.mkdir()
    shutil.copy(INSTALLER / "linux" / "perfgoals.sh", folder)
    for name in ("PerfGoals", "perfgoals-cli"):  # stand-ins that report what they were given
        (folder / name).write_text(f'#!/bin/sh\necho "{name} $* im=$QT_IM_MODULE"\n')
        (folder / name).chmod(0o755)

    def run(*args: str, **env: str) -> str:
        return subprocess.run(["sh", str(folder / "perfgoals.sh"), *args], env={"PATH": "/usr/bin:/bin", **env},
                              capture_output=True, text=True, check=True).stdout.strip()

    assert run(QT_IM_MODULE="fcitx") == "PerfGoals  im=ibus"
    assert run(XMODIFIERS="@im=fcitx") == "PerfGoals  im=ibus"
    assert run(QT_IM_MODULE="ibus") == "PerfGoals  im=ibus"
    assert run() == "PerfGoals  im="
    assert run("--self-test") == "perfgoals-cli --self-test im="
