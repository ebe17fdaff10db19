# Builds a product the way the Dockerfile does: release, with the Swift standard library
# linked statically. Source it and call `release_build PRODUCT`; it sets RELEASE_BIN_PATH.
#
# The MCP SDK links FoundationNetworking, whose static library needs libcurl's
# development files (Debian: libcurl4-openssl-dev); they are installed when missing.

release_build() {
  local product=$1
  case "$(gcc -print-file-name=libcurl.so 2>/dev/null)" in
    /*) ;;
    *)
      if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "libcurl's development files are missing; installing libcurl4-openssl-dev" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4-openssl-dev >&2
      else
        echo "error: a static release build needs libcurl's development files (Debian: apt-get install libcurl4-openssl-dev)" >&2
        exit 1
      fi
      ;;
  esac
  swift build -c release --static-swift-stdlib --product "$product"
  RELEASE_BIN_PATH="$(swift build -c release --static-swift-stdlib --show-bin-path)"
}
