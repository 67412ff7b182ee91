package io.gpumarket.server.http;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.account.User;
import io.gpumarket.core.billing.ItemCharge;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.service.BillingService.InstanceCharges;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Payments as the invoice lists show them. Ledger kinds map to Vast's invoice types and services: an operator's
 * deposit is a {@code credit} from service {@code manual}, a transfer a {@code transfer}, a refund a
 * {@code refund}. Amounts follow Vast's signs: credits and refunds negative (the CLI flips them for display), and
 * transfers as they moved the balance (received positive, sent negative).
 */
final class InvoiceViews {
    /** The ledger kinds the invoice lists show. */
    static final Set<String> KINDS = Set.of("deposit", "transfer", "refund");

    private InvoiceViews() {}

    static String type(LedgerEntry e) {
        return switch (e.kind()) {
            case "deposit" -> "credit";
            default -> e.kind();
        };
    }

    static String service(LedgerEntry e) {
        return switch (e.kind()) {
            case "deposit" -> "manual";
            default -> e.kind();
        };
    }

    /** A {@code GET /api/v1/invoices/} result. */
    static Map<String, Object> v1(LedgerEntry e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("start", ChargeViews.seconds(e.createdAt()));
        r.put("end", ChargeViews.seconds(e.createdAt()));
        r.put("type", type(e));
        r.put("source", service(e));
        r.put("description", e.memo() == null ? type(e) : e.memo());
        double dollars = Money.toDollars(e.amount());
        r.put("amount", e.kind().equals("transfer") ? dollars : -dollars);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("invoice_id", e.id());
        metadata.put("service", service(e));
        r.put("metadata", metadata);
        r.put("items", List.of());
        return r;
    }

    /** A payment row of the legacy {@code /users/me/invoices}. */
    static Map<String, Object> payment(LedgerEntry e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", e.id());
        r.put("type", "payment");
        r.put("service", service(e));
        r.put("description", e.memo() == null ? type(e) : e.memo());
        r.put("quantity", 1);
        r.put("rate", Money.toDollars(e.amount()));
        r.put("amount", Money.toDollars(e.amount()));
        r.put("timestamp", ChargeViews.seconds(e.createdAt()));
        r.put("instance_id", null);
        return r;
    }

    /** The charge rows of the legacy {@code /users/me/invoices}: one per instance and item that cost something. */
    static List<Map<String, Object>> charges(InstanceCharges c) {
        return c.items().stream()
                .filter(i -> i.amount() != 0)
                .map(i -> charge(c, i))
                .toList();
    }

    private static Map<String, Object> charge(InstanceCharges c, ItemCharge i) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "charge");
        r.put("item", i.type());
        r.put("description", "Instance " + c.contract().id() + " " + i.type() + ": " + i.description());
        r.put("quantity", i.quantity());
        r.put("rate", Money.toDollars(i.rate()));
        r.put("amount", Money.toDollars(i.amount()));
        r.put("timestamp", ChargeViews.seconds(c.end()));
        r.put("start", ChargeViews.seconds(c.start()));
        r.put("end", ChargeViews.seconds(c.end()));
        r.put("instance_id", c.contract().id());
        r.put("label", c.contract().label());
        return r;
    }

    /** The account fields both legacy reports carry (we keep no billing address). */
    static void account(Map<String, Object> body, User user) {
        body.put("username", user.username());
        body.put("bill_to", user.email());
        body.put("email", user.email());
        body.put("fullname", null);
        body.put("address1", null);
        body.put("address2", null);
        body.put("city", null);
        body.put("zip", null);
        body.put("country", null);
        body.put("taxinfo", null);
    }
}
