/** Index files (blob → pack, offset, length) and the in-memory master index built from all of them. */
package triplicate.repository.index;
