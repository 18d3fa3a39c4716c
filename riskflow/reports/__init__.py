"""Reports: collect figures from the services, render them as Chinese PDFs, archive them once."""
