"""Deployment helpers: ``deploy/cluster.py`` drives ``deploy/local.sh`` (see docs/DEPLOY.md)."""
