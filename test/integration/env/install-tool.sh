# Sourced by up.sh. install_tool SRC DEST: puts an executable in place atomically, by a copy beside
# DEST and a rename over it. A plain cp onto a binary that is running fails with "Text file busy";
# a rename replaces the name while the running process keeps its old file.
install_tool() {
  local src=$1 dest=$2 tmp
  mkdir -p "$(dirname "$dest")"
  tmp="$(mktemp "$dest.XXXXXX")"
  cp "$src" "$tmp" && chmod 755 "$tmp" && mv -f "$tmp" "$dest" || { rm -f "$tmp"; return 1; }
}
