; A stand-in for cashier.exe when the installer is exercised under Wine (installer/wine/check.py).
; It only answers "backup": writes a marker backup into %CASHIER_HOME%\backups and appends the
; version that made it to backup-calls.txt, or exits 3 when %CASHIER_HOME%\fail-backup exists.
; (The real command uses SQLite's backup API; here only the installer's logic is under test.)
Unicode true
Target amd64-unicode
SilentInstall silent
RequestExecutionLevel user
Name "fake cashier ${VERSION}"
OutFile "${OUT}"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

Section
  ${GetParameters} $0
  ReadEnvStr $1 CASHIER_HOME
  ${If} $0 == "backup"
    ${If} ${FileExists} "$1\fail-backup"
      SetErrorLevel 3
      Quit
    ${EndIf}
    CreateDirectory "$1\backups"
    FileOpen $2 "$1\backups\backup-by-${VERSION}.sqlite3" w
    FileWrite $2 "backup made by ${VERSION}"
    FileClose $2
    FileOpen $2 "$1\backup-calls.txt" a
    FileSeek $2 0 END
    FileWrite $2 "${VERSION}$\r$\n"
    FileClose $2
    SetErrorLevel 0
  ${Else}
    SetErrorLevel 9
  ${EndIf}
SectionEnd
