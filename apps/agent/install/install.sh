#!/bin/sh
# Installs, upgrades or removes the Hostwatch agent on a Linux machine, from a hub:
#
#   curl -fsSL https://hub.example:3000/install/agent.sh | sudo sh -s -- --hub https://hub.example:3000 --token TOKEN
#
# POSIX sh (dash, busybox sh); everything runs from `main` on the last line, so a
# download cut short runs nothing.
set -eu

UNIT_NAME=hostwatch-agent
APP_DIR=/opt/hostwatch-agent
CONF_DIR=/etc/hostwatch
ENV_FILE=$CONF_DIR/agent.env
CA_FILE=$CONF_DIR/ca.pem
UNIT_FILE=/etc/systemd/system/$UNIT_NAME.service
STATE_DIR=/var/lib/hostwatch-agent
LAUNCHER=$APP_DIR/hostwatch-agent

USAGE="Usage: install.sh --hub URL --token TOKEN [--host-id ID] [--ca FILE] [--root DIR] [--kind bundle|executable] [--no-start]
       install.sh --uninstall [--purge] [--root DIR] [--no-start]

  --hub URL        the hub, as agents reach it (http(s)://host:port); kept from the last install if left out
  --token TOKEN    the agent token the hub issued; kept from the last install if left out
  --host-id ID     this host's id (letters, digits, . _ -), as a per-host token names it; default: the machine id
  --ca FILE        the CA certificate (PEM) that signed an https hub's certificate
  --root DIR       install under DIR instead of /, and start nothing (for images and tests)
  --kind KIND      bundle (needs Node.js >= 20) or executable; default: bundle when node >= 20 is on PATH
  --no-start       install, but do not enable or start the service
  --uninstall      remove what this script installed; the host key and spool stay unless --purge
  --purge          with --uninstall: remove $STATE_DIR too"

say() {
  printf 'hostwatch: %s\n' "$*"
}

# Exit 2: the command line is wrong; exit 1: anything else.
usage_error() {
  printf 'hostwatch: %s\n\n%s\n' "$1" "$USAGE" >&2
  exit 2
}

fail() {
  printf 'hostwatch: error: %s\n' "$*" >&2
  exit 1
}

have() {
  command -v "$1" >/dev/null 2>&1
}

# Refuses what the env file (systemd's EnvironmentFile) could not hold as written, unquoted.
plain_value() {
  case $2 in
    '' | *[!!-~]* | *[\"\'\\\$\`]*) usage_error "$1 must be printable ASCII without spaces, quotes, backslashes, \$ or \`" ;;
  esac
}

check_hub() {
  plain_value --hub "$1"
  case $1 in
    http://?* | https://?*) ;;
    *) usage_error "--hub must be an http:// or https:// URL (got $1)" ;;
  esac
  rest=${1#*://}
  rest=${rest%/}
  case $rest in
    */*) usage_error "--hub must be the hub's address without a path, e.g. https://hub.example:3000 (got $1)" ;;
  esac
}

# The last value of KEY in the env file, or nothing.
env_value() {
  [ -f "$ROOT$ENV_FILE" ] || return 0
  sed -n "s/^$1=//p" "$ROOT$ENV_FILE" | tail -n 1 | sed 's/^"\(.*\)"$/\1/'
}

download() { # URL FILE
  if have curl; then
    if [ -n "$CURL_CA" ]; then
      curl -fsSL --proto '=http,https' --cacert "$CURL_CA" -o "$2" "$1"
    else
      curl -fsSL --proto '=http,https' -o "$2" "$1"
    fi
  elif have wget; then
    if [ -n "$CURL_CA" ]; then
      wget -q --ca-certificate="$CURL_CA" -O "$2" "$1"
    else
      wget -q -O "$2" "$1"
    fi
  else
    fail "neither curl nor wget is installed; install one of them and run this again"
  fi
}

sha256_of() {
  if have sha256sum; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif have shasum; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif have openssl; then
    openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
  else
    fail "no SHA-256 tool (sha256sum, shasum or openssl) to verify the download with"
  fi
}

# The string value of "NAME" in one line of JSON text, or nothing.
json_field() { # NAME LINE
  printf '%s\n' "$2" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p"
}

node_major() {
  node --version 2>/dev/null | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p'
}

machine_arch() {
  case $(uname -m) in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64 | armv8*) echo arm64 ;;
    *) echo "" ;;
  esac
}

systemd_runs() {
  [ -z "$ROOT" ] && [ -d /run/systemd/system ] && have systemctl
}

parse_args() {
  HUB=
  TOKEN=
  HOST_ID=
  CA=
  ROOT=
  KIND=
  NO_START=
  UNINSTALL=
  PURGE=
  while [ $# -gt 0 ]; do
    case $1 in
      --hub | --token | --host-id | --ca | --root | --kind)
        [ $# -ge 2 ] || usage_error "$1 needs a value"
        case $1 in
          --hub) HUB=$2 ;;
          --token) TOKEN=$2 ;;
          --host-id) HOST_ID=$2 ;;
          --ca) CA=$2 ;;
          --root) ROOT=$2 ;;
          --kind) KIND=$2 ;;
        esac
        shift 2
        ;;
      --hub=* | --token=* | --host-id=* | --ca=* | --root=* | --kind=*)
        value=${1#*=}
        case $1 in
          --hub=*) HUB=$value ;;
          --token=*) TOKEN=$value ;;
          --host-id=*) HOST_ID=$value ;;
          --ca=*) CA=$value ;;
          --root=*) ROOT=$value ;;
          --kind=*) KIND=$value ;;
        esac
        shift
        ;;
      --no-start) NO_START=1 && shift ;;
      --uninstall) UNINSTALL=1 && shift ;;
      --purge) PURGE=1 && shift ;;
      -h | --help) printf '%s\n' "$USAGE" && exit 0 ;;
      *) usage_error "unknown option: $1" ;;
    esac
  done
  [ -z "$PURGE" ] || [ -n "$UNINSTALL" ] || usage_error "--purge goes with --uninstall"
  if [ -n "$ROOT" ]; then
    case $ROOT in
      /*) ;;
      *) ROOT=$(pwd)/$ROOT ;;
    esac
    ROOT=${ROOT%/}
    [ -d "$ROOT" ] || usage_error "--root $ROOT is not a directory"
  elif [ "$(id -u)" != 0 ]; then
    fail "installing for the whole machine needs root: run it with sudo (or give --root DIR)"
  fi
  case $KIND in
    '' | bundle | executable) ;;
    *) usage_error "--kind must be bundle or executable (got $KIND)" ;;
  esac
}

uninstall() {
  if systemd_runs; then
    systemctl disable --now "$UNIT_NAME" >/dev/null 2>&1 || true
  fi
  rm -f "$ROOT$UNIT_FILE" "$ROOT$ENV_FILE" "$ROOT$CA_FILE"
  rm -rf "$ROOT$APP_DIR"
  rmdir "$ROOT$CONF_DIR" 2>/dev/null || true
  if systemd_runs; then
    systemctl daemon-reload
    systemctl reset-failed "$UNIT_NAME" >/dev/null 2>&1 || true
  fi
  if [ -n "$PURGE" ]; then
    rm -rf "$ROOT$STATE_DIR" "$ROOT/var/lib/private/hostwatch-agent"
    say "removed the agent, its settings, its host key and its spool"
  else
    say "removed the agent and its settings; its host key and spool stay in $STATE_DIR (--purge removes them)"
  fi
}

# Sets ARTIFACT_FILE and ARTIFACT_SHA256 from the manifest, for KIND and ARCH.
pick_artifact() { # MANIFEST
  # One artifact object per line: the manifest's objects hold no nested objects.
  objects=$(tr '\r\n\t' '   ' <"$1" | tr '{' '\n' | tr '}' '\n')
  VERSION=$(json_field version "$(printf '%s\n' "$objects" | grep '"version"' | head -n 1)")
  ARTIFACT_FILE=
  ARTIFACT_SHA256=
  lines=$(printf '%s\n' "$objects" | grep '"kind"' || true)
  [ -n "$lines" ] || fail "the hub's manifest lists no artifacts; build the agent's release on the hub (npm run build)"
  while IFS= read -r line; do
    [ "$(json_field kind "$line")" = "$KIND" ] || continue
    [ "$KIND" = bundle ] || [ "$(json_field arch "$line")" = "$ARCH" ] || continue
    ARTIFACT_FILE=$(json_field file "$line")
    ARTIFACT_SHA256=$(json_field sha256 "$line")
    break
  done <<EOF
$lines
EOF
  if [ -z "$ARTIFACT_FILE" ]; then
    if [ "$KIND" = bundle ]; then
      fail "the hub offers no bundle of the agent"
    fi
    fail "the hub offers no agent executable for linux-$ARCH; install Node.js 20 or newer to use the bundle instead"
  fi
  case $ARTIFACT_FILE in
    *[!A-Za-z0-9._-]* | [!A-Za-z0-9]*) fail "the hub's manifest names an unsafe file: $ARTIFACT_FILE" ;;
  esac
  case $ARTIFACT_SHA256 in
    *[!0-9a-f]*) fail "the hub's manifest has no usable SHA-256 for $ARTIFACT_FILE" ;;
  esac
  [ ${#ARTIFACT_SHA256} -eq 64 ] || fail "the hub's manifest has no usable SHA-256 for $ARTIFACT_FILE"
}

# The Node.js flags on the bundle's first line (#!/usr/bin/env -S node FLAGS), so that they have one source.
bundle_flags() { # FILE
  flags=$(head -n 1 "$1" | sed -n 's|^#!.*[ /]node\( .*\)\{0,1\}$|\1|p')
  for flag in $flags; do
    case $flag in
      --*[!a-z0-9=-]* | -[!-]*) fail "the bundle's first line holds an unexpected Node.js flag: $flag" ;;
    esac
  done
  printf '%s' "$flags" | sed 's/^ *//'
}

write_launcher() { # FILE
  {
    echo '#!/bin/sh'
    echo '# Written by the Hostwatch install script; it writes it again on every upgrade.'
    if [ "$KIND" = bundle ]; then
      flags=$(bundle_flags "$work/$ARTIFACT_FILE")
      echo "exec $NODE${flags:+ $flags} $APP_DIR/$ARTIFACT_FILE \"\$@\""
    else
      echo "exec $APP_DIR/$ARTIFACT_FILE \"\$@\""
    fi
  } >"$1"
  chmod 0755 "$1"
}

write_env() { # FILE
  (
    umask 077
    {
      echo '# Settings of the Hostwatch agent (see its --help); the install script keeps lines it does not set.'
      if [ -f "$ROOT$ENV_FILE" ]; then
        grep -v -E '^(# Settings of the Hostwatch agent|HOSTWATCH_HUB=|HOSTWATCH_TOKEN=|HOSTWATCH_HOST_ID=|HOSTWATCH_CA=|HOSTWATCH_SPOOL_DIR=)' "$ROOT$ENV_FILE" || true
      fi
      echo "HOSTWATCH_HUB=$HUB"
      echo "HOSTWATCH_TOKEN=$TOKEN"
      [ -z "$HOST_ID" ] || echo "HOSTWATCH_HOST_ID=$HOST_ID"
      [ -z "$INSTALLED_CA" ] || echo "HOSTWATCH_CA=$INSTALLED_CA"
      echo "HOSTWATCH_SPOOL_DIR=$STATE_DIR"
    } >"$1"
  )
  chmod 0600 "$1"
}

write_unit() { # FILE
  cat >"$1" <<EOF
# Written by the Hostwatch install script; it writes it again on every upgrade.
[Unit]
Description=Hostwatch agent
Wants=network-online.target
After=network-online.target

[Service]
EnvironmentFile=$ENV_FILE
ExecStart=$LAUNCHER
Restart=on-failure
RestartSec=5
# A bad setting (2) or a refusal by the hub (3) does not get better by retrying.
RestartPreventExitStatus=2 3
DynamicUser=yes
# The spool and the host key ($STATE_DIR).
StateDirectory=hostwatch-agent
StateDirectoryMode=0700
ProtectSystem=strict
# read-only, not yes: the disk sizes of /home come from statfs(2) on it, which an empty mount over it would hide.
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
NoNewPrivileges=yes
# AF_NETLINK: the interface addresses come from getifaddrs(3), which asks the kernel over netlink.
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
SystemCallArchitectures=native
CapabilityBoundingSet=
UMask=0077
# No ProtectProc= or ProcSubset=: the top processes are read from every process's /proc/<pid>.

[Install]
WantedBy=multi-user.target
EOF
  chmod 0644 "$1"
}

install_agent() {
  HUB=${HUB:-$(env_value HOSTWATCH_HUB)}
  TOKEN=${TOKEN:-$(env_value HOSTWATCH_TOKEN)}
  HOST_ID=${HOST_ID:-$(env_value HOSTWATCH_HOST_ID)}
  [ -n "$HUB" ] || usage_error "--hub is required (the hub's address, e.g. https://hub.example:3000)"
  [ -n "$TOKEN" ] || usage_error "--token is required (the hub shows it with the install command)"
  HUB=${HUB%/}
  check_hub "$HUB"
  plain_value --token "$TOKEN"
  case $HOST_ID in
    *[!A-Za-z0-9._-]* | [._-]*) usage_error "--host-id must be letters, digits, '.', '_' and '-', not first (got $HOST_ID)" ;;
  esac

  INSTALLED_CA=
  CURL_CA=
  if [ -n "$CA" ]; then
    if [ ! -f "$CA" ] || [ ! -r "$CA" ]; then
      usage_error "--ca $CA is not a readable file"
    fi
    grep -q -e '-----BEGIN CERTIFICATE-----' "$CA" || usage_error "--ca $CA holds no PEM certificate"
    INSTALLED_CA=$CA_FILE
    CURL_CA=$CA
  else
    INSTALLED_CA=$(env_value HOSTWATCH_CA)
    [ -z "$INSTALLED_CA" ] || CURL_CA=$ROOT$INSTALLED_CA
  fi

  NODE=
  if have node && [ "$(node_major)" -ge 20 ] 2>/dev/null; then
    NODE=$(command -v node)
  fi
  if [ -z "$KIND" ]; then
    if [ -n "$NODE" ]; then KIND=bundle; else KIND=executable; fi
  fi
  ARCH=$(machine_arch)
  if [ "$KIND" = bundle ]; then
    [ -n "$NODE" ] || fail "--kind bundle needs Node.js 20 or newer on PATH (node --version says: $(node --version 2>/dev/null || echo 'no node'))"
    case $NODE in
      /*) ;;
      *) fail "node is on PATH as $NODE; put it on PATH by an absolute path" ;;
    esac
  elif [ -z "$ARCH" ]; then
    fail "no agent executable is built for this machine's architecture ($(uname -m)); install Node.js 20 or newer to use the bundle"
  fi

  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM HUP

  download "$HUB/install/manifest.json" "$work/manifest.json" ||
    fail "cannot fetch $HUB/install/manifest.json: is the hub reachable at that address${CURL_CA:+, and signed by $CURL_CA}?"
  pick_artifact "$work/manifest.json"
  say "downloading the agent $VERSION ($ARTIFACT_FILE) from $HUB"
  download "$HUB/install/$ARTIFACT_FILE" "$work/$ARTIFACT_FILE" || fail "cannot download $HUB/install/$ARTIFACT_FILE"
  actual=$(sha256_of "$work/$ARTIFACT_FILE")
  [ "$actual" = "$ARTIFACT_SHA256" ] ||
    fail "$ARTIFACT_FILE does not match the hub's manifest (SHA-256 $actual, expected $ARTIFACT_SHA256); nothing was installed"

  previous=
  [ -f "$ROOT$APP_DIR/version" ] && previous=$(cat "$ROOT$APP_DIR/version")
  mkdir -p "$ROOT$APP_DIR" "$ROOT$CONF_DIR" "$ROOT${UNIT_FILE%/*}"
  chmod 0755 "$ROOT$APP_DIR"
  chmod 0755 "$ROOT$CONF_DIR"
  # Each file goes in by rename, so a running agent never sees half of one.
  cp "$work/$ARTIFACT_FILE" "$ROOT$APP_DIR/.$ARTIFACT_FILE.new"
  chmod 0755 "$ROOT$APP_DIR/.$ARTIFACT_FILE.new"
  mv -f "$ROOT$APP_DIR/.$ARTIFACT_FILE.new" "$ROOT$APP_DIR/$ARTIFACT_FILE"
  for old in "$ROOT$APP_DIR"/hostwatch-agent.js "$ROOT$APP_DIR"/hostwatch-agent-linux-*; do
    [ ! -e "$old" ] || [ "$old" = "$ROOT$APP_DIR/$ARTIFACT_FILE" ] || rm -f "$old"
  done
  write_launcher "$ROOT$APP_DIR/.launcher.new"
  mv -f "$ROOT$APP_DIR/.launcher.new" "$ROOT$LAUNCHER"
  printf '%s\n' "$VERSION" >"$ROOT$APP_DIR/version"
  if [ -n "$CA" ]; then
    cp "$CA" "$ROOT$CONF_DIR/.ca.pem.new"
    chmod 0644 "$ROOT$CONF_DIR/.ca.pem.new"
    mv -f "$ROOT$CONF_DIR/.ca.pem.new" "$ROOT$CA_FILE"
  fi
  write_env "$ROOT$CONF_DIR/.agent.env.new"
  mv -f "$ROOT$CONF_DIR/.agent.env.new" "$ROOT$ENV_FILE"
  write_unit "$ROOT$UNIT_FILE.new"
  mv -f "$ROOT$UNIT_FILE.new" "$ROOT$UNIT_FILE"

  if [ -n "$previous" ]; then
    say "upgraded the agent from $previous to $VERSION in $ROOT$APP_DIR; host key and spool kept"
  else
    say "installed the agent $VERSION in $ROOT$APP_DIR, settings in $ROOT$ENV_FILE"
  fi

  if systemd_runs && [ -z "$NO_START" ]; then
    systemctl daemon-reload
    systemctl enable --quiet "$UNIT_NAME"
    systemctl restart "$UNIT_NAME"
    say "started: systemctl status $UNIT_NAME; its log: journalctl -u $UNIT_NAME"
  elif [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
    say "start it with: systemctl daemon-reload && systemctl enable --now $UNIT_NAME"
  else
    say "systemd does not run here${ROOT:+ (or --root was given)}; start the agent with:"
    say "  sh -c 'set -a && . $ENV_FILE && exec $LAUNCHER'"
    say "or let a service manager run $LAUNCHER with the settings of $ENV_FILE"
  fi
}

main() {
  parse_args "$@"
  if [ -n "$UNINSTALL" ]; then
    uninstall
  else
    install_agent
  fi
}

main "$@"
