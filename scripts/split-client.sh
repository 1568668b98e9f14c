#!/usr/bin/env bash
# Trunk's post-build hook (see Trunk.toml): splits the client's wasm so that the first load
# fetches only the main module, and the pages behind each `#[lazy]` split point
# (app/src/pages/lazy.rs: the account's pages, the administrators' pages) come in a module of
# their own, with the code they share in another, when one of them is first needed.
#
# Trunk has built and bound the whole wasm in the staging folder as app-<hash>.js and
# app-<hash>_bg.wasm, and index.html names both. Here the same cargo output is cut into a main
# module and chunks (wasm-split-cli), the main module is bound again, keeping the exports the
# chunks link against (wasm-bindgen --keep-lld-exports), every module is shrunk in release
# (wasm-opt), and the results replace Trunk's files under the same names: Trunk's hash is of
# the cargo output everything here is made from. The chunks and their loader get names with
# a hash of their own content, so the server caches them as immutable. The page's integrity
# attributes are computed again for the new bytes, and the page preloads the loader too. A
# `tessera-after-sign-in` meta tag names the files My profile needs beyond the main module,
# for the sign-in page to prefetch.

set -euo pipefail

staging="${TRUNK_STAGING_DIR:?run this from trunk build, as a post_build hook}"
release=""
[ "${TRUNK_PROFILE:-}" = "release" ] && release=1
# The cargo profile of each Trunk mode: index.html sets `data-cargo-profile-release`.
profile="${release:+wasm-release}"
profile="${profile:-debug}"

fail() {
  echo "split-client: $*" >&2
  exit 1
}

# The tools must match what the build expects: wasm-bindgen the version Trunk.toml pins (that
# of the library in Cargo.lock), wasm-opt the binaryen scripts/setup.sh installs.
bindgen_version="$(sed -n 's/^wasm_bindgen = "\(.*\)"$/\1/p' Trunk.toml)"
wasm-bindgen --version | grep -F " $bindgen_version" >/dev/null ||
  fail "wasm-bindgen $bindgen_version is needed (scripts/setup.sh installs it)"
if [ -n "$release" ]; then
  wasm-opt --version | grep -F "version 132" >/dev/null ||
    fail "wasm-opt of binaryen 132 is needed (scripts/setup.sh installs it)"
fi
command -v wasm-split-cli >/dev/null || fail "wasm-split-cli is needed (scripts/setup.sh installs it)"
command -v openssl >/dev/null || fail "openssl is needed for the integrity attributes (scripts/setup.sh installs it)"

target_dir="$(cargo metadata --format-version 1 --no-deps --offline |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
input="$target_dir/wasm32-unknown-unknown/$profile/app.wasm"
[ -f "$input" ] || fail "no cargo output at $input"

shopt -s nullglob
staged=("$staging"/app-*_bg.wasm)
[ "${#staged[@]}" -eq 1 ] || fail "expected one app-*_bg.wasm in $staging, found ${#staged[@]}"
name="$(basename "${staged[0]}" _bg.wasm)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The main module goes to split/$name.wasm; the loader, split/__wasm_split.js, imports
# `initSync` from ./$name.js, the name the bound main module keeps.
wasm-split-cli "$input" "$work/split" --out-name "$name"
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir "$work/bound" --out-name "$name" "$work/split/$name.wasm"

chunks=()
for chunk in "$work"/split/*.wasm; do
  [ "$(basename "$chunk")" = "$name.wasm" ] || chunks+=("$chunk")
done

if [ -n "$release" ]; then
  for wasm in "$work/bound/${name}_bg.wasm" "${chunks[@]}"; do
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$wasm" -o "$wasm"
  done
fi

short_hash() { sha256sum "$1" | cut -c1-16; }

loader="$work/split/__wasm_split.js"
# What My profile needs beyond the main module: the account's split and the shared chunks.
after_sign_in=()
account=""
for chunk in "${chunks[@]}"; do
  stem="$(basename "$chunk" .wasm)"
  hashed="$stem-$(short_hash "$chunk").wasm"
  grep -q "\"\\./$stem\\.wasm\"" "$loader" || fail "the loader does not fetch $stem.wasm"
  sed -i "s|\"\\./$stem\\.wasm\"|\"./$hashed\"|g" "$loader"
  cp "$chunk" "$staging/$hashed"
  case "$stem" in
    split_account_page_*) account="$hashed" ;&
    chunk_*) after_sign_in+=("${TRUNK_PUBLIC_URL:-/}$hashed") ;;
  esac
done
[ -n "$account" ] || fail "no split of account_page (app/src/pages/lazy.rs) to name for after sign-in"
hashed_loader="__wasm_split-$(short_hash "$loader").js"
cp "$loader" "$staging/$hashed_loader"

# Only the ES imports are renamed: the wasm's own imports keep their module name, which is
# also their key in the imports object.
main_js="$work/bound/$name.js"
sed -i "s|from \"\\./__wasm_split\\.js\"|from \"./$hashed_loader\"|; s|from '\\./__wasm_split\\.js'|from './$hashed_loader'|" "$main_js"
if grep -q "from [\"']\\./__wasm_split\\.js[\"']" "$main_js" || ! grep -F "$hashed_loader" "$main_js" >/dev/null; then
  fail "$main_js does not import the loader as expected"
fi
cp "$main_js" "$staging/$name.js"
cp "$work/bound/${name}_bg.wasm" "$staging/${name}_bg.wasm"
if [ -d "$work/bound/snippets" ]; then
  rm -rf "$staging/snippets"
  cp -r "$work/bound/snippets" "$staging/snippets"
fi

sri() {
  local digest
  digest="$(openssl dgst -sha384 -binary "$1" | base64 -w0)"
  [ -n "$digest" ] || fail "no SHA-384 digest of $1"
  printf 'sha384-%s' "$digest"
}
page="$staging/index.html"
for file in "$name.js" "${name}_bg.wasm"; do
  integrity="$(sri "$staging/$file")"
  sed -i -E "s#(href=\"[^\"]*/$file\"[^>]*integrity=\")[^\"]*\"#\\1$integrity\"#" "$page"
  grep -F "integrity=\"$integrity\"" "$page" >/dev/null || fail "index.html has no integrity attribute for $file"
done
# The main script imports the loader: preloading it saves a round trip on the first load.
preload="<link rel=\"modulepreload\" href=\"${TRUNK_PUBLIC_URL:-/}$hashed_loader\" crossorigin=\"anonymous\" integrity=\"$(sri "$staging/$hashed_loader")\">"
sed -i "s#</head>#$preload</head>#" "$page"
grep -F "$hashed_loader" "$page" >/dev/null || fail "index.html has no </head> to add the loader's preload to"
# The sign-in page (the server's) prefetches these, so that My profile after it starts from the
# cache; the client's own page only names them: it fetches a split when a page needs it.
names="<meta name=\"tessera-after-sign-in\" content=\"${after_sign_in[*]}\">"
sed -i "s#</head>#$names</head>#" "$page"
grep -F "tessera-after-sign-in" "$page" >/dev/null || fail "index.html has no </head> to name the splits in"

echo "split-client: $name.js and ${name}_bg.wasm with ${#chunks[@]} chunks, loaded by $hashed_loader"
