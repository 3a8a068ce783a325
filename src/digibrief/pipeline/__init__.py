"""From folders to files: build (resolve -> charts -> render -> commit), cache, lock, workers, watch, preview."""
