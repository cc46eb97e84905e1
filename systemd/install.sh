#!/bin/sh
# Installs the built rumpmount (mountd/target: rumpmount.jar + lib/) and its systemd units.
#   systemd/install.sh [--prefix DIR] [--user] [--unit-dir DIR] [--sbin-dir DIR]
# --prefix (default /usr/local): the command goes to PREFIX/bin/rumpmount, the jars to
#   PREFIX/lib/rumpmount. mount.fuse3 finds "rumpmount" only on its fixed PATH
#   (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin), so fstab and .mount units
#   need a prefix whose bin is on it.
# --user: units go to ~/.config/systemd/user (default PREFIX then ~/.local) instead of
#   /etc/systemd/system. --unit-dir overrides where units go.
# fsck.ffs, the checker fsck(8) runs for FFS, goes to PREFIX/sbin, or to --sbin-dir, with
#   fsck.ufs beside it as a link: fsck(8) asks blkid for the type, which calls FFS "ufs", and
#   runs fsck.ufs even for "fsck -t ffs". fsck(8) looks in /sbin, /sbin/fs.d, /sbin/fs, /etc/fs
#   and /etc, then along PATH; root's PATH has /usr/local/sbin. Elsewhere: --sbin-dir /sbin,
#   or links: ln -s PREFIX/sbin/fsck.ffs /sbin/fsck.ffs; ln -s fsck.ffs /sbin/fsck.ufs.
set -eu

prefix=
user=no
unitdir=
sbindir=
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --user) user=yes; shift ;;
        --unit-dir) unitdir=$2; shift 2 ;;
        --sbin-dir) sbindir=$2; shift 2 ;;
        *) echo "usage: $0 [--prefix DIR] [--user] [--unit-dir DIR] [--sbin-dir DIR]" >&2; exit 2 ;;
    esac
done
if [ "$user" = yes ]; then
    : "${prefix:=$HOME/.local}"
    : "${unitdir:=$HOME/.config/systemd/user}"
else
    : "${prefix:=/usr/local}"
    : "${unitdir:=/etc/systemd/system}"
fi
: "${sbindir:=$prefix/sbin}"

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
target="$root/mountd/target"
if [ ! -f "$target/rumpmount.jar" ] || [ ! -d "$target/lib" ]; then
    echo "install.sh: $target/rumpmount.jar is missing; build first: mvn -pl mountd -am package -DskipTests" >&2
    exit 1
fi
java=$(command -v java) || { echo "install.sh: java 17 or later is needed" >&2; exit 1; }
java=$(readlink -f "$java")

mkdir -p "$prefix/bin" "$prefix/lib/rumpmount/lib" "$unitdir" "$sbindir"
rm -f "$prefix/lib/rumpmount/lib/"*.jar
cp "$target/rumpmount.jar" "$prefix/lib/rumpmount/"
cp "$target/lib/"*.jar "$prefix/lib/rumpmount/lib/"
cp "$root/README.md" "$prefix/lib/rumpmount/README.md"
chmod -R a+rX "$prefix/lib/rumpmount"

# -Dfile.encoding=ISO-8859-1: file names cross FUSE as bytes (see fuse-adapter/README.md).
# A foreground mount daemon (mount -f: the units below) gets a heap bounded by its cache size,
# as the background mode gives the daemon it starts: HeapLimit prints the -Xmx flag for the
# command line, or nothing (not a foreground mount, or the environment names a maximum).
cat > "$prefix/bin/rumpmount" <<WRAPPER
#!/bin/sh
jar="$prefix/lib/rumpmount/rumpmount.jar"
for a in "\$@"; do
    if [ "\$a" = -f ]; then
        xmx=\$("$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -cp "\$jar" \\
            org.rumpmount.cli.HeapLimit "\$@" 2>/dev/null) || xmx=
        exec "$java" \$xmx -Dfile.encoding=ISO-8859-1 -jar "\$jar" "\$@"
    fi
done
exec "$java" -Dfile.encoding=ISO-8859-1 -jar "\$jar" "\$@"
WRAPPER
chmod 0755 "$prefix/bin/rumpmount"
sed "s|@RUMPMOUNT@|$prefix/bin/rumpmount|g" "$here/fsck.ffs" > "$sbindir/fsck.ffs"
chmod 0755 "$sbindir/fsck.ffs"
ln -sf fsck.ffs "$sbindir/fsck.ufs"

if [ "$user" = yes ]; then
    units="rumpmount-user@.service"
else
    units="rumpmount@.service mnt-netbsd.mount"
    mkdir -p /etc/rumpmount 2>/dev/null || true
fi
for u in $units; do
    sed "s|@PREFIX@|$prefix|g" "$here/$u" > "$unitdir/$u"
    chmod 0644 "$unitdir/$u"
done
if [ -d /run/systemd/system ]; then
    if [ "$user" = yes ]; then systemctl --user daemon-reload || true; else systemctl daemon-reload || true; fi
fi
echo "installed $prefix/bin/rumpmount, $sbindir/fsck.ffs (and fsck.ufs) and $(echo $units) in $unitdir"
