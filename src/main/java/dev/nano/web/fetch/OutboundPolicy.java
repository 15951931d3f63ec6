package dev.nano.web.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which addresses an app's {@code fetch()} may connect to (workerd's {@code globalOutbound}
 * network): the configured allow and deny lists of {@code public}, {@code private}, {@code local}
 * and CIDRs, plus two rules no configuration lifts a request over by accident: NANO's own ports
 * on this host (a loop back into NANO) are always refused, and the cloud metadata address only
 * passes when an allow CIDR names it.
 *
 * <p>Immutable; checked on the event loop for every resolved address of every hop.
 */
public final class OutboundPolicy {

    /** What an address is, for the policy's named classes. */
    public enum Kind {
        PUBLIC("public"),
        /** RFC 1918, ULA fc00::/7, CGNAT 100.64.0.0/10. */
        PRIVATE("private"),
        /** Loopback, link-local (169.254.0.0/16, fe80::/10) and the unspecified address (0.0.0.0 reaches this host). */
        LOCAL("local"),
        /** Multicast, reserved and broadcast ranges: reachable only through an explicit CIDR. */
        SPECIAL("special");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    private static final List<InetAddress> METADATA = List.of(literal("169.254.169.254"), literal("fd00:ec2::254"));

    private final Rules allow;
    private final Rules deny;
    private final Set<Integer> ownPorts;
    private final Set<InetAddress> ownAddresses;

    /**
     * @param ownPorts NANO's listening ports (apps and management)
     * @param ownAddresses this host's interface addresses (loopback and unspecified are always counted)
     * @throws IllegalArgumentException for an entry that is neither a class name nor a CIDR
     */
    public OutboundPolicy(List<String> allow, List<String> deny, Set<Integer> ownPorts, Set<InetAddress> ownAddresses) {
        this.allow = Rules.parse(allow, "allow");
        this.deny = Rules.parse(deny, "deny");
        this.ownPorts = Set.copyOf(ownPorts);
        this.ownAddresses = Set.copyOf(ownAddresses);
    }

    /** Null when the app may connect to {@code address:port}, else why not (for the error message). */
    public String refusal(InetAddress address, int port) {
        Kind kind = kindOf(address);
        String ip = io.netty.util.NetUtil.toAddressString(address);
        String what = ip + " (" + kind.word + ")";
        if (ownPorts.contains(port) && (kind == Kind.LOCAL || ownAddresses.contains(address))) {
            return (address instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + port + " is NANO's own port";
        }
        if (deny.matches(address, kind)) {
            return what + " is denied";
        }
        if (METADATA.contains(address)) {
            return allow.namesByCidr(address) ? null
                    : ip + " is the cloud metadata address (allow it by CIDR to reach it)";
        }
        return allow.matches(address, kind) ? null : what + " is not allowed";
    }

    /** The named class of an address; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    public static Kind kindOf(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return kindOf4(b[0] & 0xff, b[1] & 0xff);
        }
        if (address instanceof Inet6Address) {
            if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()) {
                return Kind.LOCAL;
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return Kind.PRIVATE;
            }
            if ((b[0] & 0xff) == 0xff) {
                return Kind.SPECIAL;
            }
            // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last four bytes.
            if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
                return kindOf4(b[12] & 0xff, b[13] & 0xff);
            }
            // The rest of ::/8 (IPv4-compatible, site-local leftovers) is not routed publicly.
            if (b[0] == 0) {
                return Kind.SPECIAL;
            }
            return Kind.PUBLIC;
        }
        return Kind.SPECIAL;
    }

    private static Kind kindOf4(int a, int b) {
        if (a == 127 || a == 0 || a == 169 && b == 254) {
            return Kind.LOCAL;
        }
        if (a == 10 || a == 172 && b >= 16 && b <= 31 || a == 192 && b == 168 || a == 100 && b >= 64 && b <= 127) {
            return Kind.PRIVATE;
        }
        if (a >= 224) {
            return Kind.SPECIAL;
        }
        return Kind.PUBLIC;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByAddress(io.netty.util.NetUtil.createByteArrayFromIpAddressString(ip));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One list: the named classes and the CIDRs in it. */
    private record Rules(Set<Kind> kinds, List<Cidr> cidrs) {

        static Rules parse(List<String> entries, String list) {
            List<Kind> kinds = new ArrayList<>();
            List<Cidr> cidrs = new ArrayList<>();
            for (String raw : entries) {
                String entry = raw.trim().toLowerCase(Locale.ROOT);
                switch (entry) {
                    case "public" -> kinds.add(Kind.PUBLIC);
                    case "private" -> kinds.add(Kind.PRIVATE);
                    case "local" -> kinds.add(Kind.LOCAL);
                    default -> cidrs.add(Cidr.parse(entry, list));
                }
            }
            return new Rules(Set.copyOf(kinds), List.copyOf(cidrs));
        }

        boolean matches(InetAddress address, Kind kind) {
            return kinds.contains(kind) || namesByCidr(address);
        }

        boolean namesByCidr(InetAddress address) {
            for (Cidr cidr : cidrs) {
                if (cidr.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** An address range, {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a /32 or /128. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String entry, String list) {
            int slash = entry.indexOf('/');
            String ip = slash < 0 ? entry : entry.substring(0, slash);
            byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(ip);
            if (bytes == null) {
                throw new IllegalArgumentException("outbound." + list + ": '" + entry
                        + "' is neither public, private, local nor a CIDR");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("outbound." + list + ": '" + entry + "' has a bad prefix length");
                }
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (candidate[full] & mask) == (network[full] & mask);
        }
    }
}
