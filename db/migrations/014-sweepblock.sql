-- 014-sweepblock.sql - migration 014: a buffer named by the block it
-- holds (campaign/sweep/README.md). Which slot of the buffer cache holds
-- a block depends on when disk completions land, so an experiment that
-- names a slot may find another block there; one that names the block
-- finds the slot that holds it.

-- trace_accesses.block: for an access to a buffer, the block it held
-- (blockno of the root device); NULL for other objects and for a buffer
-- holding no block.
ALTER TABLE trace_accesses ADD COLUMN block INTEGER;

-- sweep_classes.block: the block the buffer held at the access that
-- closes the class (NULL: not a buffer, or none); block_hit counts the
-- accesses of that word of whichever buffer held that block, up to and
-- including the closing one: the experiment's hit.
ALTER TABLE sweep_classes ADD COLUMN block INTEGER;
ALTER TABLE sweep_classes ADD COLUMN block_hit INTEGER;

INSERT INTO schema_version VALUES (14, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
