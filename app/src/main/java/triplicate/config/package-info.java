/**
 * A library's configuration: the file {@code LIBRARY/.triplicate/config.yaml} that declares the library's own media,
 * the 3-2-1 policy, the mirrors' safety net and the targets (docs/config.md). Reading it rejects mistakes with the
 * line, the column and the reason; {@code target add/remove} edit its text in place, so comments survive. Knows no
 * vault, no catalog and no mirror: only what the file says.
 */
package triplicate.config;
