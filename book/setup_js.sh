#!/usr/bin/env bash
# Fetch, with npm, the two scripts that let the book show saved widget state with no network:
# @jupyter-widgets/html-manager's embed script (with its icon fonts) and require.js. They land in
# book/vendor/ (git-ignored), from where `python book/build.py` copies them into every built site.
# Run once while online (.ci/run does, before it goes offline); it does nothing when vendor/ is current.
set -euo pipefail
HTML_MANAGER=1.0.15   # the html-manager of ipywidgets 8 (widget state version 2)
REQUIREJS=2.3.8
cd "$(dirname "$0")"
stamp="@jupyter-widgets/html-manager@$HTML_MANAGER requirejs@$REQUIREJS"
if [ -f vendor/VERSION ] && [ "$(cat vendor/VERSION)" = "$stamp" ]; then
  echo "book/vendor is up to date ($stamp)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" vendor.new' EXIT
# npm pack fetches just the two package tarballs (about 5 MB; npm checks their integrity), no dependencies.
(cd "$tmp" && npm pack --silent "@jupyter-widgets/html-manager@$HTML_MANAGER" "requirejs@$REQUIREJS" >/dev/null)
mkdir -p "$tmp/html-manager" "$tmp/requirejs" vendor.new
tar -xzf "$tmp"/jupyter-widgets-html-manager-"$HTML_MANAGER".tgz -C "$tmp/html-manager"
tar -xzf "$tmp"/requirejs-"$REQUIREJS".tgz -C "$tmp/requirejs"
dist="$tmp/html-manager/package/dist"
cp "$dist"/embed-amd.js "$dist"/*.woff2 "$dist"/*.woff "$dist"/*.ttf "$dist"/*.eot "$dist"/*.svg vendor.new/
cp "$dist"/embed.js.LICENSE.txt vendor.new/html-manager.LICENSE.txt
cp "$tmp/requirejs/package/require.js" vendor.new/
echo "$stamp" > vendor.new/VERSION
rm -rf vendor
mv vendor.new vendor
echo "book/vendor: $stamp ($(du -sh vendor | cut -f1))"
