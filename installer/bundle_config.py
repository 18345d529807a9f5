"""What goes into the PyInstaller bundle, as plain data and pure functions.

``perfgoals.spec`` imports this module; the static tests (tests/test_installer_files.py) import
it too, so the rules about resources, Qt plugins and translations are checked without running
PyInstaller. Nothing here imports PyInstaller or Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"

#: The windowed program users start, and a console twin for batches and the self-test
#: (a windowed exe has no stdout on Windows). Both share one ``_internal`` folder.
GUI_EXE_NAME = "PerfGoals"
CLI_EXE_NAME = "perfgoals-cli"
BUNDLE_NAME = "PerfGoals"  # dist/<BUNDLE_NAME>/

#: Resource folders the program cannot work without: the build fails if one is missing.
REQUIRED_RESOURCE_DIRS = ("fonts", "icons", "migrations", "sample")
#: Resource folders bundled when present (rule profiles arrive with the validation issue).
OPTIONAL_RESOURCE_DIRS = ("profiles",)
#: Files in resources/ that are never shipped.
_JUNK = re.compile(r"(^|/)(__pycache__|\.DS_Store|Thumbs\.db|desktop\.ini|.*\.pyc|.*~)$", re.IGNORECASE)

#: Qt plugin folders shipped (PITFALLS 1.4): window system, styles, printing, image formats.
#: Per folder, the plugins kept; ``None`` keeps every plugin of the folder.
QT_PLUGINS_KEPT: dict[str, tuple[str, ...] | None] = {
    # Windows: qwindows; Linux check build: xcb for a desktop, offscreen for CI, minimal.
    "platforms": ("qwindows", "qxcb", "qoffscreen", "qminimal"),
    "styles": None,  # qmodernwindowsstyle (Windows 11 look) lives here
    "printsupport": None,  # windowsprintersupport / cups: without it no printer is listed
    "imageformats": ("qico", "qjpeg", "qgif"),  # png and bmp are built into QtGui
    "xcbglintegrations": None,  # needed by the xcb platform on Linux only; absent on Windows
    # Linux: Chinese input. IBus, and fcitx5 through its IBus frontend (the wheel has no fcitx
    # plugin; installer/linux/perfgoals.sh points QT_IM_MODULE=fcitx at ibus). No virtual keyboard.
    "platforminputcontexts": ("ibusplatforminputcontextplugin", "composeplatforminputcontextplugin"),
}

#: Qt translations shipped: Chinese for Qt's own dialogs only.
QT_TRANSLATIONS_KEPT = ("qtbase_zh_CN.qm",)

#: Qt libraries only dropped plugins need (linked-library analysis would pull them in, PITFALLS
#: 1.3). The spec filters plugins before the analysis, so normally these are never collected;
#: this list is the safety net. Matched on the file name without "lib" and suffixes.
QT_LIBS_DROPPED = (
    "Qt6WaylandClient", "Qt6WaylandEglClientHwIntegration", "Qt6WlShellIntegration",
    "Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport", "Qt6EglFsKmsGbmSupport", "Qt6Svg",
    # Print preview renders with PDFium (app/ui/printing.py), not QtPdf.
    "Qt6Pdf", "Qt6PdfWidgets",
    # Mesa's software OpenGL for Windows (~20 MB): the app draws widgets only, no OpenGL,
    # and Qt uses it only as a fallback for Qt Quick / QOpenGLWidget.
    "opengl32sw",
)
#: Linux: host libraries every desktop has as base packages (libstdc++6, libgcc-s1, libcups2,
#: libexpat1), left to the system. Bundled from this Debian 12 build host they alone required
#: glibc 2.36; without them the interpreter (2.35) sets the floor (README: Linux packages).
LINUX_SYSTEM_LIBS = ("libstdc++.so", "libgcc_s.so", "libcups.so", "libexpat.so") + (
    # What only libcups needs (its TLS, Kerberos and Avahi), collected with it: nothing else in
    # the bundle links them (checked with readelf -d), and the system's libcups2 brings its own.
    # ~8 MB, the room psycopg's libpq needs. psycopg's own copies have hashed names (kept).
    "libgnutls.so", "libnettle.so", "libhogweed.so", "libgmp.so", "libtasn1.so", "libp11-kit.so",
    "libidn2.so", "libunistring.so", "libavahi-client.so", "libavahi-common.so",
    "libgssapi_krb5.so", "libkrb5.so", "libk5crypto.so", "libkrb5support.so", "libcom_err.so",
    "libkeyutils.so",
)
#: ...unless the app imports a Python module that needs the library.
QT_LIB_NEEDED_BY_MODULE = {"Qt6Svg": ("PySide6.QtSvg", "PySide6.QtSvgWidgets")}

#: The PostgreSQL driver (``--db postgresql+psycopg://…``): psycopg picks its libpq binding at
#: run time (``import psycopg_binary`` inside a function), so the bundle names it; on Windows
#: psycopg needs ``tzdata`` for the server's time zone (zoneinfo has no system database there).
DRIVER_MODULES = ["psycopg", "psycopg_binary", "psycopg_binary.pq", "psycopg_binary._psycopg",
                  "sqlalchemy.dialects.postgresql.psycopg"]
WINDOWS_DRIVER_MODULES = ["tzdata"]

#: Python modules never bundled: other Qt modules, test tools, GUI toolkits, big science libs.
EXCLUDED_MODULES = [
    *(f"PySide6.{m}" for m in (
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
        "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner",
        "QtGraphs", "QtHelp", "QtHttpServer", "QtLabsStyleKit", "QtLocation", "QtMultimedia",
        "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL",
        "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQml", "QtQmlFeatures", "QtQuick",
        "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects",
        "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
        "QtStateMachine", "QtSvg", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools",
        "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets",
        "QtWebSockets", "QtWebView", "QtXml",
    )),
    # ssl stays: psycopg's libpq binding imports it at load (to set up OpenSSL before libpq
    # does), so without it no server database opens (about 6 MB; PITFALLS 1.10).
    # Pillow comes with reportlab, which only needs its core; these codecs add ~6 MB
    # (Pillow skips image plugins that fail to import).
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin",
    "PIL._imagingtk", "PIL.ImageTk", "PIL.ImageQt",
    # SQLAlchemy's hook asks for every dialect's driver. The program speaks SQLite and, for a
    # bureau's shared database, PostgreSQL through psycopg 3 with its binary libpq
    # (DRIVER_MODULES, ~9 MB): every other driver stays out.
    "psycopg_c", "psycopg2", "asyncpg", "pg8000", "pymysql", "MySQLdb", "cx_Oracle", "oracledb", "pyodbc",
    "PyQt5", "PyQt6", "PySide2", "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib",
    "pydoc_data", "lib2to3", "test", "unittest", "doctest",
    "pytest", "_pytest", "pytestqt", "pluggy", "pypdf", "ruff", "setuptools", "pip",
    "numpy", "pandas", "matplotlib", "scipy", "IPython", "jedi",
]


def resource_datas(resources: Path = RESOURCES) -> list[tuple[str, str]]:
    """Every file under ``resources/`` as ``(source file, destination folder)`` for ``datas``.

    Destinations mirror the source tree under ``resources/``, which is where
    ``app.resources.resources_dir()`` looks inside ``sys._MEIPASS``.

    Raises:
        FileNotFoundError: a required resource folder is missing or empty.
    """
    for name in REQUIRED_RESOURCE_DIRS:
        folder = resources / name
        if not folder.is_dir() or not any(folder.iterdir()):
            raise FileNotFoundError(f"required resource folder missing or empty: {folder}")
    datas = []
    for path in sorted(resources.rglob("*")):
        rel = path.relative_to(resources).as_posix()
        if path.is_file() and not _JUNK.search(rel):
            dest = PurePosixPath("resources", rel).parent
            datas.append((str(path), str(dest)))
    return datas


def _parts(dest: str) -> tuple[str, ...]:
    return PurePosixPath(dest.replace("\\", "/")).parts


def _plugin_stem(filename: str) -> str:
    """``libqxcb.so`` / ``qwindows.dll`` / ``qwindowsd.dll`` -> ``qxcb`` / ``qwindows``."""
    stem = filename.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def _qt_lib_name(filename: str) -> str:
    """``libQt6Svg.so.6`` / ``Qt6Svg.dll`` -> ``Qt6Svg``."""
    stem = filename.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_plugin(folder: str, filename: str) -> bool:
    """Whether the Qt plugin ``filename`` of plugin folder ``folder`` is shipped."""
    if folder not in QT_PLUGINS_KEPT:
        return False
    allowed = QT_PLUGINS_KEPT[folder]
    return allowed is None or _plugin_stem(filename) in allowed


def keep_entry(dest: str, imported: Iterable[str] = ()) -> bool:
    """Whether a collected file (its destination path in the bundle) is kept.

    Args:
        dest: destination name of a TOC entry, e.g. ``PySide6/Qt/plugins/styles/x.so``.
        imported: names of the modules the analysis found (to keep e.g. Qt6Svg when QtSvg is used).
    """
    parts = _parts(dest)
    if not parts:
        return True
    # Qt libraries may also appear as top-level symlinks (Linux), so match them anywhere.
    if parts[-1].startswith(LINUX_SYSTEM_LIBS):
        return False
    lib = _qt_lib_name(parts[-1])
    if lib in QT_LIBS_DROPPED:
        return bool(set(QT_LIB_NEEDED_BY_MODULE.get(lib, ())) & set(imported))
    if parts[0] != "PySide6":
        return True
    if "plugins" in parts:
        i = parts.index("plugins")
        if len(parts) < i + 3:
            return True
        return keep_plugin(parts[i + 1], parts[-1])
    if "translations" in parts:
        return parts[-1] in QT_TRANSLATIONS_KEPT
    return not (parts[-1].endswith((".qml", ".qmltypes", "qmldir")) or "qml" in parts)


def imported_modules(pure: list, binaries: list) -> set[str]:
    """Dotted names of the Python modules and extension modules an Analysis collected."""
    names = {entry[0] for entry in pure}
    for dest, _src, kind in binaries:
        if kind == "EXTENSION":
            parts = _parts(dest)
            names.add(".".join((*parts[:-1], parts[-1].split(".", 1)[0])))
    return names


def filter_toc(toc: list, imported: Iterable[str] = ()) -> list:
    """A TOC (list of ``(dest, src, typecode)``) without the Qt files we do not ship."""
    imported = set(imported)
    return [entry for entry in toc if keep_entry(entry[0], imported)]


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"0.1.0"`` -> ``(0, 1, 0, 0)`` (Windows wants four numbers)."""
    nums = [int(re.match(r"\d+", p).group()) if re.match(r"\d+", p) else 0 for p in version.split(".")]
    return tuple((nums + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_info_text(version: str, exe_name: str = GUI_EXE_NAME) -> str:
    """The VERSIONINFO resource as PyInstaller's text format (``pyi-grab_version`` style).

    Company, description and product name are Chinese; language 0x0804 (zh-CN), code page 1200
    (UTF-16). A proper version resource also makes antivirus heuristics less suspicious
    (PITFALLS 1.7).
    """
    vt = version_tuple(version)
    fields = {
        "CompanyName": "PerfGoals",
        "FileDescription": "绩效目标编报",
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": "PerfGoals",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": "绩效目标编报 (PerfGoals)",
        "ProductVersion": version,
    }
    strings = ",\n            ".join(f"StringStruct('{k}', '{v}')" for k, v in fields.items())
    return f"""# UTF-8
# Generated from app.__version__ by installer/bundle_config.py -- do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={vt},
    prodvers={vt},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
            {strings}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def app_version() -> str:
    """``app.__version__`` read from the source without importing the package."""
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not m:
        raise RuntimeError("app/__init__.py has no __version__")
    return m.group(1)
