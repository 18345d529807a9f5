<#
.SYNOPSIS
  Build the PerfGoals Windows installer: venv, tests, PyInstaller bundle, frozen self-test,
  NSIS installer. The one way a release is built (PITFALLS 1.1).

.DESCRIPTION
  Run from any folder on a Windows 10/11 x64 machine with Python 3.11 (64-bit) and NSIS 3:
      powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
  Output (build\windows\):
      dist\PerfGoals\                       the onedir program (PerfGoals.exe + perfgoals-cli.exe)
      PerfGoals-<version>-win64-setup.exe   the installer to copy onto the USB stick
      PerfGoals-<version>-win64-setup.exe.sha256, summary.txt
  The repository path must be ASCII (no Chinese folder names; PITFALLS 1.6).

.PARAMETER Python
  Path of the Python 3.11 x64 python.exe that creates the venv (default: "py -3.11" if the
  launcher exists, else "python" from PATH).
.PARAMETER Wheelhouse
  Install packages offline from this folder (made on a connected PC with
  python installer\wheelhouse.py <dir> --platform win_amd64 --python-version 3.11); without it pip uses the package index.
.PARAMETER SkipTests
  Do not run ruff and pytest (for a quick local rebuild only; never for a release).
.PARAMETER Makensis
  Path of makensis.exe (default: PATH, then the standard NSIS folders).
#>
param(
  [string]$Python = "",
  [string]$Wheelhouse = "",
  [switch]$SkipTests,
  [string]$Makensis = ""
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$OutputEncoding = [System.Text.Encoding]::UTF8

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
if ($Root -match '[^\x20-\x7E]') {
  throw "The build folder '$Root' contains non-ASCII characters; move the repository to an ASCII path."
}

# Targets of issue 14 (MB = 10^6 bytes).
$TargetBundleMB = 130
$TargetInstallerMB = 40
$TargetStartS = 2

$Out = Join-Path $Root "build\windows"
$Dist = Join-Path $Out "dist"
$App = Join-Path $Dist "PerfGoals"
New-Item -ItemType Directory -Force -Path $Out | Out-Null
$Summary = Join-Path $Out "summary.txt"
Set-Content -Path $Summary -Value "" -Encoding UTF8

function Say([string]$Text) {
  Write-Host $Text
  Add-Content -Path $Summary -Value $Text -Encoding UTF8
}

function Invoke-Native([string]$What, [scriptblock]$Block) {
  & $Block
  if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

$sw = [System.Diagnostics.Stopwatch]::StartNew()

# 1. venv -------------------------------------------------------------------------------
$Venv = Join-Path $Root ".venv-win"
$Py = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Py)) {
  if ($Python) {
    Invoke-Native "venv" { & $Python -m venv $Venv }
  } elseif (Get-Command py -ErrorAction SilentlyContinue) {
    Invoke-Native "venv" { & py -3.11 -m venv $Venv }
  } else {
    Invoke-Native "venv" { & python -m venv $Venv }
  }
}
$pipArgs = @("-m", "pip", "install", "--disable-pip-version-check", "-q")
if ($Wheelhouse) { $pipArgs += @("--no-index", "--find-links", $Wheelhouse) }
Invoke-Native "pip install" { & $Py @pipArgs -e ".[test,build]" }
$Version = (& $Py -c "import app; print(app.__version__)").Trim()
$PyiVersion = (& $Py -c "import PyInstaller; print(PyInstaller.__version__)").Trim()
Say "PerfGoals $Version - Windows build ($(Get-Date -Format s), Python $((& $Py -c 'import platform; print(platform.python_version())').Trim()), PyInstaller $PyiVersion)"

# makensis: found early so that the NSIS tests in pytest run too.
if (-not $Makensis) {
  $cmd = Get-Command makensis -ErrorAction SilentlyContinue
  if ($cmd) { $Makensis = $cmd.Source }
  else {
    foreach ($dir in @("${env:ProgramFiles(x86)}\NSIS", "$env:ProgramFiles\NSIS")) {
      if (Test-Path "$dir\makensis.exe") { $Makensis = "$dir\makensis.exe"; break }
    }
  }
}
if (-not $Makensis) { throw "makensis.exe not found: install NSIS 3 (choco install nsis) or pass -Makensis" }
$env:PATH = (Split-Path -Parent $Makensis) + [System.IO.Path]::PathSeparator + $env:PATH
# The frozen program writes UTF-8 to pipes (PYTHONIOENCODING, see installer/entry.py).
$env:PYTHONIOENCODING = "utf-8"

# 2. tests --------------------------------------------------------------------------------
if (-not $SkipTests) {
  $env:QT_QPA_PLATFORM = "offscreen"
  Invoke-Native "ruff" { & $Py -m ruff check app tests bench installer }
  Invoke-Native "pytest" { & $Py -m pytest -q }
  Remove-Item Env:QT_QPA_PLATFORM
  Say "tests:                      passed"
} else {
  Say "tests:                      SKIPPED (-SkipTests)"
}

# 3. bundle -------------------------------------------------------------------------------
$t = [System.Diagnostics.Stopwatch]::StartNew()
Invoke-Native "pyinstaller" {
  & $Py -m PyInstaller --noconfirm --clean --log-level WARN --distpath $Dist --workpath (Join-Path $Out "work") installer\perfgoals.spec
}
Say ("build time (pyinstaller):   {0:N1} s" -f $t.Elapsed.TotalSeconds)
foreach ($exe in @("PerfGoals.exe", "perfgoals-cli.exe")) {
  if (-not (Test-Path (Join-Path $App $exe))) { throw "$exe missing from $App" }
}
# No VC++ redistributable can be downloaded on an intranet PC (PITFALLS 1.9).
$crt = @(Get-ChildItem -Path $App -Recurse -Filter "vcruntime140*.dll")
if ($crt.Count -eq 0) { Say "WARNING: no vcruntime140*.dll in the bundle - test on a clean Windows" }

# 4. frozen self-test (real Windows platform plugin: QT_QPA_PLATFORM is not set) ------------
$cli = Join-Path $App "perfgoals-cli.exe"
$selftest = @(& $cli --self-test)
$code = $LASTEXITCODE
$selftest | ForEach-Object { Write-Host $_ }
$selftest | Set-Content -Path (Join-Path $Out "selftest.txt") -Encoding UTF8
if ($code -ne 0) { throw "frozen self-test failed (exit code $code)" }
Say "frozen self-test:           $($selftest[-1])"
$gui = Start-Process -FilePath (Join-Path $App "PerfGoals.exe") -ArgumentList "--self-test" -Wait -PassThru
if ($gui.ExitCode -ne 0) { throw "windowed PerfGoals.exe --self-test failed (exit code $($gui.ExitCode))" }

# 5. start-up: process creation to the main window shown (median of 5) ---------------------
$tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("perfgoals-start-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $tmp | Out-Null
$env:PERFGOALS_EXIT_AFTER_SHOW = "1"
$starts = @()
foreach ($i in 1..5) {
  $line = & $cli --db (Join-Path $tmp "start$i.db") | Where-Object { $_ -like "startup_seconds=*" }
  $starts += [double]($line -replace "startup_seconds=", "")
}
Remove-Item Env:PERFGOALS_EXIT_AFTER_SHOW
Remove-Item -Recurse -Force $tmp
$startMedian = ($starts | Sort-Object)[2]
Say ("frozen start to window:     median {0:N3} s, best {1:N3} s (5 runs)" -f $startMedian, ($starts | Measure-Object -Minimum).Minimum)
$bundleBytes = (Get-ChildItem -Path $App -Recurse -File | Measure-Object -Property Length -Sum).Sum
Say ("bundle size (unpacked):     {0:N1} MB" -f ($bundleBytes / 1e6))

# 6. installer ----------------------------------------------------------------------------
$Setup = Join-Path $Out "PerfGoals-$Version-win64-setup.exe"
$t = [System.Diagnostics.Stopwatch]::StartNew()
Invoke-Native "makensis" {
  & $Makensis -V2 -WX -INPUTCHARSET UTF8 "-DVERSION=$Version" "-DDISTDIR=$App" "-DOUTFILE=$Setup" installer\perfgoals.nsi
}
$installerBytes = (Get-Item $Setup).Length
Say ("makensis:                   {0:N1} s -> {1}" -f $t.Elapsed.TotalSeconds, $Setup)
Say ("installer size:             {0:N1} MB" -f ($installerBytes / 1e6))
# Hashes for IT's allow-lists (no code signing; PITFALLS 1.8).
$hash = (Get-FileHash -Algorithm SHA256 $Setup).Hash.ToLower()
Set-Content -Path "$Setup.sha256" -Value "$hash  $(Split-Path -Leaf $Setup)" -Encoding ASCII
Say "sha256:                     $hash"

# 7. targets ------------------------------------------------------------------------------
$fail = $false
function Check([string]$Name, [double]$Value, [double]$Target, [string]$Unit, [bool]$Enforced) {
  if ($Value -lt $Target) { Say ("target {0}: {1:N2} {3} < {2} {3}  OK" -f $Name, $Value, $Target, $Unit); return $true }
  Say ("target {0}: {1:N2} {3} >= {2} {3}  EXCEEDED" -f $Name, $Value, $Target, $Unit)
  return -not $Enforced
}
if (-not (Check "bundle" ($bundleBytes / 1e6) $TargetBundleMB "MB" $true)) { $fail = $true }
if (-not (Check "installer" ($installerBytes / 1e6) $TargetInstallerMB "MB" $true)) { $fail = $true }
[void](Check "start" $startMedian $TargetStartS "s" $false)  # machine-dependent: reported only
Say ("total time:                 {0:N1} s" -f $sw.Elapsed.TotalSeconds)
if ($fail) { exit 1 }
