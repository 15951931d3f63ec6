package dev.nano.web.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The outbound policy's classes, CIDRs and fixed rules, without a server. */
class OutboundPolicyTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // a literal: no lookup
    }

    private static OutboundPolicy policy(List<String> allow, List<String> deny) throws Exception {
        return new OutboundPolicy(allow, deny, Set.of(8080, 9000), Set.of(ip("192.0.2.7")));
    }

    @Test
    void classifiesAddresses() throws Exception {
        assertEquals(OutboundPolicy.Kind.LOCAL, OutboundPolicy.kindOf(ip("127.0.0.1")));
        assertEquals(OutboundPolicy.Kind.LOCAL, OutboundPolicy.kindOf(ip("127.8.9.1")));
        assertEquals(OutboundPolicy.Kind.LOCAL, OutboundPolicy.kindOf(ip("0.0.0.0")));
        assertEquals(OutboundPolicy.Kind.LOCAL, OutboundPolicy.kindOf(ip("169.254.10.1")));
        assertEquals(OutboundPolicy.Kind.LOCAL, OutboundPolicy.kindOf(ip("::1")));
        assertEquals(OutboundPolicy.Kind.LOCAL, OutboundPolicy.kindOf(ip("fe80::1")));
        assertEquals(OutboundPolicy.Kind.LOCAL, OutboundPolicy.kindOf(ip("::ffff:127.0.0.1")));
        assertEquals(OutboundPolicy.Kind.PRIVATE, OutboundPolicy.kindOf(ip("10.0.0.1")));
        assertEquals(OutboundPolicy.Kind.PRIVATE, OutboundPolicy.kindOf(ip("172.16.0.1")));
        assertEquals(OutboundPolicy.Kind.PRIVATE, OutboundPolicy.kindOf(ip("172.31.255.255")));
        assertEquals(OutboundPolicy.Kind.PUBLIC, OutboundPolicy.kindOf(ip("172.32.0.1")));
        assertEquals(OutboundPolicy.Kind.PRIVATE, OutboundPolicy.kindOf(ip("192.168.1.1")));
        assertEquals(OutboundPolicy.Kind.PRIVATE, OutboundPolicy.kindOf(ip("100.64.0.1")));
        assertEquals(OutboundPolicy.Kind.PUBLIC, OutboundPolicy.kindOf(ip("100.128.0.1")));
        assertEquals(OutboundPolicy.Kind.PRIVATE, OutboundPolicy.kindOf(ip("fd12::1")));
        assertEquals(OutboundPolicy.Kind.PRIVATE, OutboundPolicy.kindOf(ip("64:ff9b::10.0.0.1")));
        assertEquals(OutboundPolicy.Kind.SPECIAL, OutboundPolicy.kindOf(ip("224.0.0.1")));
        assertEquals(OutboundPolicy.Kind.SPECIAL, OutboundPolicy.kindOf(ip("255.255.255.255")));
        assertEquals(OutboundPolicy.Kind.SPECIAL, OutboundPolicy.kindOf(ip("ff02::1")));
        assertEquals(OutboundPolicy.Kind.PUBLIC, OutboundPolicy.kindOf(ip("93.184.216.34")));
        assertEquals(OutboundPolicy.Kind.PUBLIC, OutboundPolicy.kindOf(ip("2606:4700::1111")));
    }

    @Test
    void theDefaultAllowsOnlyPublic() throws Exception {
        OutboundPolicy policy = policy(List.of("public"), List.of());
        assertNull(policy.refusal(ip("93.184.216.34"), 443));
        assertEquals("127.0.0.1 (local) is not allowed", policy.refusal(ip("127.0.0.1"), 80));
        assertEquals("10.0.0.1 (private) is not allowed", policy.refusal(ip("10.0.0.1"), 80));
        assertEquals("224.0.0.1 (special) is not allowed", policy.refusal(ip("224.0.0.1"), 80));
    }

    @Test
    void denyWinsOverAllowAndCidrsMatchByPrefix() throws Exception {
        OutboundPolicy policy = policy(List.of("public", "private"), List.of("10.1.0.0/16", "2001:db8::/32"));
        assertNull(policy.refusal(ip("10.2.0.1"), 80));
        assertEquals("10.1.200.3 (private) is denied", policy.refusal(ip("10.1.200.3"), 80));
        assertEquals("2001:db8::5 (public) is denied", policy.refusal(ip("2001:db8::5"), 80));
        OutboundPolicy narrow = policy(List.of("10.0.0.0/12", "192.168.7.9"), List.of());
        assertNull(narrow.refusal(ip("10.15.0.1"), 80));
        assertTrue(narrow.refusal(ip("10.16.0.1"), 80).endsWith("is not allowed"));
        assertNull(narrow.refusal(ip("192.168.7.9"), 80));
        assertTrue(narrow.refusal(ip("192.168.7.10"), 80).endsWith("is not allowed"));
    }

    @Test
    void theMetadataAddressNeedsAnExplicitCidr() throws Exception {
        OutboundPolicy local = policy(List.of("public", "private", "local"), List.of());
        assertTrue(local.refusal(ip("169.254.169.254"), 80).contains("cloud metadata address"));
        assertTrue(local.refusal(ip("fd00:ec2::254"), 80).contains("cloud metadata address"));
        OutboundPolicy named = policy(List.of("169.254.169.254/32"), List.of());
        assertNull(named.refusal(ip("169.254.169.254"), 80));
    }

    @Test
    void nanosOwnPortsAreAlwaysRefused() throws Exception {
        OutboundPolicy all = policy(List.of("public", "private", "local"), List.of());
        assertEquals("127.0.0.1:8080 is NANO's own port", all.refusal(ip("127.0.0.1"), 8080));
        assertEquals("0.0.0.0:9000 is NANO's own port", all.refusal(ip("0.0.0.0"), 9000));
        assertEquals("192.0.2.7:8080 is NANO's own port", all.refusal(ip("192.0.2.7"), 8080));
        assertNull(all.refusal(ip("127.0.0.1"), 8081));
        assertNull(all.refusal(ip("192.0.2.8"), 8080), "another host's port 8080 is not NANO");
    }

    @Test
    void aBadEntryIsRejected() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> policy(List.of("intranet"), List.of()));
        assertEquals("outbound.allow: 'intranet' is neither public, private, local nor a CIDR", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> policy(List.of("public"), List.of("10.0.0.0/33")));
    }
}
